#ifndef OVERLAY_FABRIC_FEATURE_MIRRORS_H
#define OVERLAY_FABRIC_FEATURE_MIRRORS_H

#include "mirror-capture.h"
#include "mirror-filter.h"
#include "mirrored-packet-list.h"
#include "scenario-feature.h"

#include <array>
#include <cstdint>
#include <vector>

namespace ns3
{

/**
 * \ingroup overlay-fabric
 * \brief Mirror sessions (ScenarioConfig::mirrors; seed 003).
 *
 * For each session: every host switch learns the mirror VNI (VirtualSwitch::SetMirrorVni, so a
 * host without a monitor drops its copy as no_monitor); each monitor VM's port becomes a capture
 * port and its vNIC gets a MirrorCapture; each host with a mirrored port gets the session's
 * MirroredPacketList (the attributes from the session's keys) and MirrorFilter, which is the first
 * stage of the pipeline of each mirrored port there and is connected to the port's vNIC "MacRx".
 * In unicast mode a list's destinations are the tunnels to the other hosts of the mirroring
 * overlay (unicast_to) and a local copy when a monitor shares the host. In multicast mode the
 * monitors' hosts join the session's group at the start (Vtep::JoinGroup: IGMPv3 reports on the
 * wire, snooped by the leaves) and a list's destinations are the group and a local copy.
 *
 * Accounting, from traces only: the lists' counters and "CopySent"; every drop of a copy (the
 * ledger's drops of packets of no measured flow, read by their MirrorTag: the host the copy was
 * for, the reason); the capture counters per monitor; the wire frames of copies per underlay tier
 * (WireTx of every fabric device, connected only when there are mirrors, so a run without them
 * pays nothing). Per monitor: mirrored = delivered + dropped (list overflow, and each reason a copy
 * for its host was lost to) + in the list or in the network at the end.
 */
class MirrorsFeature : public ScenarioFeature
{
  public:
    void Install(const ScenarioConfig& config, ScenarioNetwork& network) override;
    void Collect(const ScenarioConfig& config,
                 const ScenarioNetwork& network,
                 nlohmann::ordered_json& results) override;
    std::vector<ResultsField> ResultsSections() const override;

  private:
    /// Underlay tiers a copy's frame crosses.
    enum Tier : uint8_t
    {
        HOST_TO_LEAF = 0,
        LEAF_TO_SPINE = 1,
        SPINE_TO_LEAF = 2,
        LEAF_TO_HOST = 3,
        TIERS = 4
    };

    /// Copies of one session sent to one host and what became of them.
    struct HostCopies
    {
        uint64_t sent{0};                                                       //!< CopySent
        std::array<uint64_t, static_cast<size_t>(DropReason::COUNT)> dropped{}; //!< by reason
    };

    /// One session as built.
    struct Session
    {
        std::vector<uint32_t> listHosts;            //!< host of each list
        std::vector<Ptr<MirroredPacketList>> lists; //!< one per host with a mirrored port
        std::vector<Ptr<MirrorFilter>> filters;     //!< same order
        std::vector<Ptr<MirrorCapture>> captures;   //!< per monitor, in config order
        std::vector<uint32_t> monitorHosts;         //!< host of each monitor
        std::vector<HostCopies> toHost;             //!< per host index
        std::array<uint64_t, TIERS> wireFrames{};   //!< copy frames sent on each tier
        std::array<uint64_t, TIERS> wireBytes{};    //!< their bytes
        /// every drop of the session's copies (list overflow aside), by reason
        std::array<uint64_t, static_cast<size_t>(DropReason::COUNT)> copyDrops{};
        uint64_t igmpReports{0}; //!< multicast: IGMP reports the monitors' hosts sent
        uint64_t pruned{0};      //!< multicast: copies a switch consumed, no member below
    };

    /// \brief A drop of a packet of no measured flow (FlowLedger::SetOtherDropSink).
    void CopyDropped(Ptr<const Packet> packet, DropReason reason);
    /// \brief WireTx of a device on \p tier.
    void WireTx(Tier tier, Ptr<const Packet> frame);

    std::vector<Session> m_sessions; //!< in config order
};

} // namespace ns3

#endif
