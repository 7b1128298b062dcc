#ifndef OVERLAY_FABRIC_FEATURE_TRACE_H
#define OVERLAY_FABRIC_FEATURE_TRACE_H

#include "scenario-feature.h"

#include "ns3/nstime.h"

#include <array>
#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

namespace ns3
{

/**
 * \ingroup overlay-fabric
 * \brief The "trace" section (seed 004): every hop of the packets of the chosen flows.
 *
 * From traces only, connected only when the section is written (a run without it pays nothing):
 * the source virtual switch's "FlowTx" opens a packet's record (its VM), the VTEP's "UplinkTx"
 * adds the uplink and the outer 5-tuple, every underlay device's "WireTx" adds the node that sent
 * it and the link, the destination switch's "FlowRx" closes it as delivered and the ledger's drop
 * of a measured packet as dropped (the reason; where: after the last hop). A packet is known by
 * its FlowTag (flow, sequence). A closed record whose path (uplink, links, fate) is the flow's
 * current one extends it; any other starts a new path: results.json keeps the distinct paths in
 * time order, with the hops and times of their first packet. Records still open at the end (in
 * flight) are left out.
 */
class TraceFeature : public ScenarioFeature
{
  public:
    void Install(const ScenarioConfig& config, ScenarioNetwork& network) override;
    void Collect(const ScenarioConfig& config,
                 const ScenarioNetwork& network,
                 nlohmann::ordered_json& results) override;
    std::vector<ResultsField> ResultsSections() const override;

  private:
    /// One hop of a packet: the node that sent it on a link.
    struct Hop
    {
        uint32_t link; //!< link index
        uint8_t end;   //!< which end sent it (0: the first-named)
        Time at;       //!< when it was sent
    };

    /// What one packet did so far.
    struct Record
    {
        Time sent;                //!< left its VM
        uint32_t uplink{0};       //!< the VTEP's uplink
        bool encapsulated{false}; //!< UplinkTx seen (not a same-host packet)
        uint32_t outerSrc{0};     //!< outer IPv4 source
        uint32_t outerDst{0};     //!< outer IPv4 destination
        uint16_t sport{0};        //!< outer UDP source port
        uint16_t dport{0};        //!< outer UDP destination port
        std::vector<Hop> hops;    //!< links, in order
    };

    /// A distinct path of a flow: consecutive packets that took it.
    struct Path
    {
        Record first;        //!< its first packet
        std::string fate;    //!< "delivered" or a drop reason
        Time at;             //!< the first packet's fate time
        Time lastSent;       //!< the last packet's send time
        uint64_t packets{0}; //!< packets that took it
    };

    /// \return the key of a measured packet (flow id, sequence), or false
    static bool KeyOf(Ptr<const Packet> p, uint64_t& key, uint32_t& flow);
    void Sent(Ptr<const Packet> p);
    void Encapsulated(Ptr<const Packet> p, uint32_t uplink);
    void OnWire(uint32_t link, uint8_t end, Ptr<const Packet> p);
    void Closed(Ptr<const Packet> p, const std::string& fate);

    std::vector<bool> m_traced;                     //!< by flow id
    std::unordered_map<uint64_t, Record> m_open;    //!< packets on their way
    std::vector<std::vector<Path>> m_paths;         //!< by flow id
    std::vector<std::string> m_linkNames;           //!< by link index
    std::vector<std::array<std::string, 2>> m_ends; //!< by link index: its two nodes' names
};

} // namespace ns3

#endif
