#ifndef OVERLAY_FABRIC_FEATURE_TRAFFIC_H
#define OVERLAY_FABRIC_FEATURE_TRAFFIC_H

#include "scenario-feature.h"

#include "ns3/address.h"
#include "ns3/ipv4-header.h"
#include "ns3/ipv4-l3-protocol.h"
#include "ns3/packet.h"

#include <cstdint>
#include <vector>

namespace ns3
{

/**
 * \ingroup overlay-fabric
 * \brief The scenario's flows (ScenarioConfig::traffic) and their accounting: creates
 * network.ledger and connects it to every trace that sees a flow's packet (virtual switches,
 * VTEPs, fabric devices and switches, the VMs' IP and ARP stacks, the sink applications), then
 * installs a sink and a source application per flow with a fixed 5-tuple. Collects "flows".
 */
class TrafficFeature : public ScenarioFeature
{
  public:
    void Install(const ScenarioConfig& config, ScenarioNetwork& network) override;
    void Collect(const ScenarioConfig& config,
                 const ScenarioNetwork& network,
                 nlohmann::ordered_json& results) override;

    std::vector<ResultsField> ResultsSections() const override;

  private:
    /// Connect the ledger to the traces of the network's elements.
    void ConnectLedger(ScenarioNetwork& network);
    /// Install the applications of flow \p i.
    void InstallFlow(const ScenarioConfig& config, ScenarioNetwork& network, uint32_t i);

    /// Trace sink: the source application of flow \p flow sent a packet.
    void AppTx(uint32_t flow, Ptr<const Packet> packet);
    /// Trace sink: the sink application of flow \p flow received a packet.
    void AppRx(uint32_t flow, Ptr<const Packet> packet, const Address& from);
    /// Trace sink: a VM's IP stack dropped a packet.
    void VmIpDrop(const Ipv4Header& header,
                  Ptr<const Packet> packet,
                  Ipv4L3Protocol::DropReason reason,
                  Ptr<Ipv4> ipv4,
                  uint32_t interface);
    /// Trace sink: a VM's ARP dropped a packet.
    void VmArpDrop(Ptr<const Packet> packet);

    FlowLedger* m_ledger{nullptr}; //!< network.ledger
    std::vector<uint64_t> m_appTx; //!< packets each flow's source application sent
};

} // namespace ns3

#endif
