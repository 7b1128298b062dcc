#ifndef OVERLAY_FABRIC_FEATURE_MONITORING_H
#define OVERLAY_FABRIC_FEATURE_MONITORING_H

#include "scenario-feature.h"

#include "ns3/nstime.h"
#include "ns3/packet.h"

#include <cstdint>
#include <map>
#include <utility>
#include <vector>

namespace ns3
{

/**
 * \ingroup overlay-fabric
 * \brief Uplink monitoring (ScenarioConfig::monitoring): one UplinkMonitor per VTEP, started at
 * time 0, in network.monitors; a status change also reaches network.injector (detection). Collects
 * "monitoring": overhead, every status and session change, and the metrics of the tunnels between
 * hosts that source or sink a flow (all tunnels would be quadratic in the hosts).
 */
class MonitoringFeature : public ScenarioFeature
{
  public:
    void Install(const ScenarioConfig& config, ScenarioNetwork& network) override;
    void Collect(const ScenarioConfig& config,
                 const ScenarioNetwork& network,
                 nlohmann::ordered_json& results) override;

    std::vector<ResultsField> ResultsSections() const override;

  private:
    /// Trace sink: host \p host's monitor declared echo stream \p path of an uplink up or down.
    void StatusChanged(uint32_t host, uint32_t tunnel, uint32_t uplink, uint32_t path, bool up);
    /// Trace sink: host \p host's monitor declared an uplink degraded or not.
    void DegradedChanged(uint32_t host, uint32_t tunnel, uint32_t uplink, bool degraded);
    /// Record the ECMP paths of the tunnels of \p host that results.json lists.
    void RecordPaths(const ScenarioConfig& config,
                     const ScenarioNetwork& network,
                     uint32_t host,
                     const UplinkMonitor& monitor);
    /// Tell the fault injector, which judges every change against the faults.
    void Report(uint32_t host,
                uint32_t tunnel,
                uint32_t uplink,
                uint32_t path,
                FaultInjector::Status status);
    /// monitoring.cover_ecmp_paths: give every (tunnel, uplink) of \p host one echo stream per
    /// fabric path from that uplink to the remote VTEP.
    static void CoverEcmpPaths(const ScenarioNetwork& network,
                               uint32_t host,
                               UplinkMonitor& monitor);
    /// Trace sink: host \p host's monitor classified a missing-reply detection.
    void Localized(uint32_t host, uint32_t tunnel, uint32_t uplink, uint32_t locus);
    /// Trace sink: a BFD session of host \p host changed state.
    void SessionStateChanged(uint32_t host,
                             uint32_t tunnel,
                             uint32_t from,
                             uint32_t to,
                             uint8_t diag);
    /// Trace sink: a VTEP sent an OAM packet of kind \p kind (Vtep::OamKind).
    void OamTx(Ptr<const Packet> packet, uint8_t kind);

    /// One change of an uplink's status: "up", "down", "degraded" or "not-degraded".
    struct Event
    {
        Time at;            //!< when
        uint32_t host;      //!< monitoring host
        uint32_t tunnel;    //!< tunnel of that host
        uint32_t uplink;    //!< uplink
        uint32_t path;      //!< its echo stream (0: the seed's)
        const char* status; //!< new status
    };

    /// One BFD session state change.
    struct SessionEvent
    {
        Time at;         //!< when
        uint32_t host;   //!< host of the session
        uint32_t tunnel; //!< tunnel of that host
        uint32_t from;   //!< old state
        uint32_t to;     //!< new state
        uint8_t diag;    //!< RFC 5880 diagnostic
    };

    /// One localization verdict.
    struct Localization
    {
        Time at;         //!< when
        uint32_t host;   //!< monitoring host
        uint32_t tunnel; //!< tunnel of that host
        uint32_t uplink; //!< uplink
        uint32_t locus;  //!< UplinkMonitor::Locus
    };

    /// The fabric paths of one tunnel, as built.
    struct TunnelPaths
    {
        size_t total{0}; //!< distinct paths between the VTEPs
        std::vector<std::vector<LeafSpineFabric::FabricPath>> echo; //!< per uplink, per stream
    };

    std::vector<bool> m_endpoint;              //!< by host: sources or sinks a flow
    std::vector<Localization> m_localizations; //!< in time order
    std::map<std::pair<uint32_t, uint32_t>, TunnelPaths> m_paths; //!< (host, tunnel) -> paths
    FaultInjector* m_injector{nullptr};     //!< judges every status change, if there is one
    std::vector<UplinkMonitor*> m_monitors; //!< by host (owned by network.monitors)
    std::vector<uint32_t> m_vtepAddresses;  //!< by host, as in the echoes' ProbeTag
    std::vector<Event> m_events;            //!< in time order
    std::vector<SessionEvent> m_sessions;   //!< in time order
    std::vector<uint64_t> m_oamPackets;     //!< by Vtep::OamKind
    std::vector<uint64_t> m_oamBytes;       //!< by Vtep::OamKind, with outer Ethernet
};

} // namespace ns3

#endif
