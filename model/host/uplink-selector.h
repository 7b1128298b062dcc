#ifndef OVERLAY_FABRIC_UPLINK_SELECTOR_H
#define OVERLAY_FABRIC_UPLINK_SELECTOR_H

#include "ns3/nstime.h"
#include "ns3/object.h"
#include "ns3/traced-callback.h"

#include <array>
#include <cstdint>
#include <vector>

namespace ns3
{

/**
 * \ingroup overlay-fabric
 * \brief Decides which uplink of a multi-homed host each tunnel packet leaves on (seed 000,
 * paragraphs 0059-0061), per tunnel, from carrier state and the uplink monitor's metrics.
 *
 * Inputs arrive as events (carrier change, uplink UP/DOWN or degraded for a tunnel, new smoothed
 * RTT or loss); each recomputes that tunnel's answer, so Select() is O(1) per packet and never
 * scans uplinks, tunnels or flows.
 *
 * Candidates of a tunnel: uplinks with carrier that monitoring has not declared DOWN, preferring
 * those not degraded (RTT over the QoS threshold or loss over its threshold). If monitoring
 * declares every uplink of a tunnel DOWN, the candidates fall back to the uplinks with carrier: a
 * monitored host is never worse off than a bond (a remote VTEP that loops replies back on a dead
 * uplink can make every local uplink look dead).
 *
 * Policies: CARRIER_ONLY ignores monitoring (bond active-backup: preferred uplink while it has
 * carrier, else the next); ACTIVE_STANDBY takes the first candidate in order from the preferred
 * uplink; LOWEST_RTT the candidate with the lowest smoothed RTT, moving only to an uplink better by
 * the hysteresis; LOSS_WEIGHTED spreads flows over candidates in proportion to 1 - loss (a 64-slot
 * table indexed by the flow hash); FLOW_HASH keeps a flow on uplink hash mod N while that uplink is
 * a candidate and spreads the others over the candidates.
 *
 * \par ECMP paths behind an uplink (SetPaths, with echoes that cover them)
 * When monitoring probes several outer source ports of (tunnel, uplink), one per fabric path,
 * their statuses arrive with SetPathHealth. Without PathReselection, an uplink whose path died is
 * DOWN for the tunnel (a share of its flows hash onto the dead path, and moving the tunnel is all
 * the uplink policies can do). With PathReselection, the tunnel's data on that uplink leaves
 * with the probed outer source ports themselves (flow hash mod paths), so the VTEP knows the path
 * of every flow; a flow whose path is DOWN moves to another live path of the same uplink (as
 * Linux re-hashes a socket's flow label after a timeout, and Protective Load Balancing moves a
 * flow off a failing path), the others stay where they are; the uplink is DOWN only when all its
 * paths are.
 */
class UplinkSelector : public Object
{
  public:
    /// Selection policy (names as in scenario files).
    enum Policy : int
    {
        CARRIER_ONLY,
        ACTIVE_STANDBY,
        LOWEST_RTT,
        LOSS_WEIGHTED,
        FLOW_HASH
    };

    /// Returned by Select() when no uplink has carrier.
    static constexpr uint32_t NO_UPLINK = UINT32_MAX;

    static TypeId GetTypeId();

    /// \param count number of uplinks (1..64); call before AddTunnel
    void SetUplinkCount(uint32_t count);
    /// \return the number of uplinks
    uint32_t GetUplinkCount() const;
    /// \return the index of a new tunnel; every uplink starts healthy, RTT and loss unknown
    uint32_t AddTunnel();
    /// \return the number of tunnels
    uint32_t GetTunnelCount() const;

    /// \brief Carrier of an uplink changed (all tunnels).
    void SetCarrier(uint32_t uplink, bool up);
    /// \brief Monitoring declared an uplink UP or DOWN for a tunnel.
    void SetHealth(uint32_t tunnel, uint32_t uplink, bool up);
    /**
     * \brief The fabric paths behind (tunnel, uplink) that monitoring probes (at most 64).
     * \param flowHashes per path: the entropy that puts a packet on it (its outer source port)
     */
    void SetPaths(uint32_t tunnel, uint32_t uplink, const std::vector<uint32_t>& flowHashes);
    /// \brief Monitoring declared path \p path of (tunnel, uplink) UP or DOWN (path 0 alone:
    /// the same as SetHealth).
    void SetPathHealth(uint32_t tunnel, uint32_t uplink, uint32_t path, bool up);
    /// \return bit p set = path p of (tunnel, uplink) is UP (all ones without SetPaths)
    uint64_t GetLivePaths(uint32_t tunnel, uint32_t uplink) const;
    /// \brief Monitoring marked an uplink degraded (or no longer) for a tunnel.
    void SetDegraded(uint32_t tunnel, uint32_t uplink, bool degraded);
    /// \brief New smoothed RTT of an uplink for a tunnel (LOWEST_RTT).
    void SetRtt(uint32_t tunnel, uint32_t uplink, Time smoothedRtt);
    /// \brief New loss fraction of an uplink for a tunnel (LOSS_WEIGHTED).
    void SetLoss(uint32_t tunnel, uint32_t uplink, double loss);

    /**
     * \brief Pick the uplink for one packet.
     * \param tunnel tunnel index
     * \param flowHash inner-flow entropy (same flow, same value)
     * \return an uplink index, or NO_UPLINK
     */
    uint32_t Select(uint32_t tunnel, uint32_t flowHash) const;

    /**
     * \brief The entropy that sets a data packet's outer source port on its uplink.
     * \return \p flowHash, or with PathReselection the hash of the flow's live path
     */
    uint32_t PathFlowHash(uint32_t tunnel, uint32_t uplink, uint32_t flowHash) const;

    /// \return bit i set = uplink i is a candidate for \p tunnel
    uint64_t GetCandidates(uint32_t tunnel) const;

    /// Signature of "CandidatesChanged": (tunnel, old mask, new mask).
    typedef void (*CandidatesTracedCallback)(uint32_t tunnel, uint64_t oldMask, uint64_t newMask);
    /// Signature of "ActiveChanged": (tunnel, old uplink, new uplink); NO_UPLINK when none.
    typedef void (*ActiveTracedCallback)(uint32_t tunnel, uint32_t oldUplink, uint32_t newUplink);
    /// Signature of "PathsChanged": (tunnel, uplink, old live mask, new live mask).
    typedef void (*PathsTracedCallback)(uint32_t tunnel,
                                        uint32_t uplink,
                                        uint64_t oldMask,
                                        uint64_t newMask);

  private:
    /// What the selector knows of one tunnel (read when an input changes, never per packet).
    struct Tunnel
    {
        std::vector<bool> healthy;  //!< monitoring: not DOWN
        std::vector<bool> degraded; //!< monitoring: over a QoS threshold
        std::vector<Time> srtt;     //!< smoothed RTT (Time::Max() = unknown)
        std::vector<double> loss;   //!< loss fraction
    };

    /// Slots of the LOSS_WEIGHTED table.
    static constexpr uint32_t SPREAD_SLOTS = 64;

    /// The precomputed answer of one tunnel: all Select() reads, in one flat record, so that a
    /// packet touches one contiguous entry and no heap pointer.
    struct Choice
    {
        uint64_t candidates{0};                     //!< candidate mask
        uint32_t active{NO_UPLINK};                 //!< single-choice policies
        uint32_t spreadSize{0};                     //!< entries used in spread
        std::array<uint8_t, SPREAD_SLOTS> spread{}; //!< FLOW_HASH: candidates; LOSS_WEIGHTED: table
    };

    /// The probed paths of one (tunnel, uplink) (SetPaths).
    struct PathSet
    {
        std::vector<uint32_t> flowHashes;   //!< per path: its entropy
        uint64_t live{0};                   //!< bit p: path p UP
        uint32_t liveCount{0};              //!< live paths
        std::array<uint8_t, 64> liveList{}; //!< the live paths, in order
    };

    void Recompute(uint32_t tunnel);
    uint32_t FirstInOrder(uint64_t mask) const;
    uint32_t LowestRtt(const Tunnel& t, uint32_t active, uint64_t mask) const;

    Policy m_policy{FLOW_HASH};    //!< policy
    uint32_t m_preferred{0};       //!< first uplink in order
    Time m_hysteresis;             //!< LOWEST_RTT: required improvement
    std::vector<bool> m_carrier;   //!< per uplink
    std::vector<Tunnel> m_tunnels; //!< per tunnel: inputs
    std::vector<Choice> m_choices; //!< per tunnel: answers
    bool m_reselect{false};        //!< PathReselection
    std::vector<PathSet> m_paths;  //!< [tunnel x uplinks + uplink]; empty without SetPaths

    TracedCallback<uint32_t, uint64_t, uint64_t> m_candidatesChanged; //!< candidate mask changes
    TracedCallback<uint32_t, uint32_t, uint32_t> m_activeChanged;     //!< single choice changes
    TracedCallback<uint32_t, uint32_t, uint64_t, uint64_t> m_pathsChanged; //!< live paths
};

} // namespace ns3

#endif
