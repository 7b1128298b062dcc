#ifndef OVERLAY_FABRIC_UPLINK_SELECTOR_H
#define OVERLAY_FABRIC_UPLINK_SELECTOR_H

#include "ns3/object.h"
#include "ns3/traced-callback.h"

#include <cstdint>
#include <vector>

namespace ns3
{

/**
 * \ingroup overlay-fabric
 * \brief Decides which uplink of a multi-homed host a tunnel packet leaves on.
 *
 * The VTEP tells the selector when an uplink becomes usable or unusable (here: carrier; the
 * monitoring issue adds echo-driven health); the selector keeps its answer precomputed so that
 * Select() is O(1) per packet and never scans uplinks or flows.
 */
class UplinkSelector : public Object
{
  public:
    /// Returned by Select() when no uplink may be used.
    static constexpr uint32_t NO_UPLINK = UINT32_MAX;

    static TypeId GetTypeId();

    /**
     * \brief Set the number of uplinks; all start usable.
     * \param count number of uplinks (>= 1)
     */
    void SetUplinkCount(uint32_t count);
    /// \return the number of uplinks
    uint32_t GetUplinkCount() const;

    /**
     * \brief Mark an uplink usable or not (carrier, or health from monitoring).
     * \param uplink uplink index
     * \param usable whether packets may be sent on it
     */
    void SetUsable(uint32_t uplink, bool usable);
    /// \return whether an uplink is usable
    bool IsUsable(uint32_t uplink) const;

    /**
     * \brief Pick the uplink for one packet.
     * \param innerFlowHash hash of the inner 5-tuple (same flow, same value)
     * \return an uplink index, or NO_UPLINK
     */
    virtual uint32_t Select(uint32_t innerFlowHash) const = 0;

    /// Signature of the "UsableSetChanged" trace: bit i set = uplink i usable.
    typedef void (*UsableSetTracedCallback)(uint64_t usableMask);

  protected:
    /// Recompute the precomputed answer after the usable set changed.
    virtual void Update() = 0;
    std::vector<bool> m_usable;     //!< per-uplink usable flag
    std::vector<uint32_t> m_upList; //!< usable uplinks in index order

  private:
    TracedCallback<uint64_t> m_usableSetChanged; //!< fires on every change of the usable set
};

/**
 * \ingroup overlay-fabric
 * \brief Static policy: always the configured preferred uplink while it is usable, otherwise the
 * lowest-numbered usable one (what a plain active-backup bond does on carrier loss).
 */
class StaticUplinkSelector : public UplinkSelector
{
  public:
    static TypeId GetTypeId();
    uint32_t Select(uint32_t innerFlowHash) const override;
    /// \return the uplink currently used by every flow, or NO_UPLINK
    uint32_t GetActiveUplink() const;

    /// Signature of "ActiveUplinkChanged": (old, new), NO_UPLINK when none.
    typedef void (*ActiveUplinkTracedCallback)(uint32_t oldUplink, uint32_t newUplink);

  protected:
    void Update() override;

  private:
    uint32_t m_preferred{0};                            //!< configured uplink
    uint32_t m_active{0};                               //!< current choice
    TracedCallback<uint32_t, uint32_t> m_activeChanged; //!< active uplink changes
};

/**
 * \ingroup overlay-fabric
 * \brief Flow-hash policy: inner-flow hash modulo the usable uplinks, so flows spread over the
 * uplinks that have carrier and each flow keeps one uplink while that set is unchanged.
 */
class FlowHashUplinkSelector : public UplinkSelector
{
  public:
    static TypeId GetTypeId();
    uint32_t Select(uint32_t innerFlowHash) const override;

  protected:
    void Update() override;
};

} // namespace ns3

#endif
