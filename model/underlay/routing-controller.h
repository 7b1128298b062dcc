#ifndef OVERLAY_FABRIC_ROUTING_CONTROLLER_H
#define OVERLAY_FABRIC_ROUTING_CONTROLLER_H

#include "fabric-channel.h"

#include "ns3/callback.h"
#include "ns3/event-id.h"
#include "ns3/nstime.h"
#include "ns3/object.h"
#include "ns3/ptr.h"
#include "ns3/traced-callback.h"

#include <cstdint>
#include <deque>
#include <vector>

namespace ns3
{

/**
 * \ingroup overlay-fabric
 * \brief The underlay's routing control plane: routing's view of every link and when it learns
 * of carrier changes.
 *
 * The controller watches the links given with AddLink (their channels' "CarrierChanged" trace).
 * A carrier change is learnt by routing exactly ConvergenceDelay after the event: then routing's
 * view of the link changes and the recompute callback is called once with the whole view, which
 * recomputes and reprograms every table at once, and "RoutesConverged" fires. Changes maturing at
 * the same instant share one recomputation; a change and its reversal within the delay are both
 * applied in order, each when it matures. The switches at the two ends of a link react to carrier
 * loss at once on their own (FabricSwitch local repair): that is not the controller's business.
 *
 * The controller knows nothing of the topology: its owner (LeafSpineFabric) registers the links
 * in link-index order and computes the routes in the callback.
 */
class RoutingController : public Object
{
  public:
    /**
     * \brief Recomputes and programs every routing table.
     *
     * Argument: routing's view of the links, by link index (true = up).
     */
    using RecomputeCallback = Callback<void, const std::vector<bool>&>;

    /**
     * \brief Signature of the "RoutesConverged" trace source.
     * \param at the time the new routes were applied (now)
     */
    typedef void (*RoutesConvergedTracedCallback)(Time at);

    /**
     * \brief Get the TypeId.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    RoutingController();
    ~RoutingController() override;

    /**
     * \brief Watch a link: its carrier changes reach routing after the convergence delay.
     * Routing starts out believing the link is up.
     * \param channel the link's channel
     * \return the link index (0, 1, ... in the order of the calls)
     */
    uint32_t AddLink(Ptr<FabricChannel> channel);

    /// \return the number of links watched
    uint32_t GetNLinks() const;

    /// \param callback recomputes the tables from routing's view (called by Recompute)
    void SetRecomputeCallback(RecomputeCallback callback);

    /**
     * \param link link index
     * \return whether routing currently believes the link is up
     */
    bool IsLinkUp(uint32_t link) const;

    /// \return routing's view of every link, by link index
    const std::vector<bool>& GetLinkView() const;

    /// \return the delay between a carrier change and routing learning it
    Time GetConvergenceDelay() const;

    /// \return the number of carrier changes routing has not learnt yet
    uint32_t GetNPendingChanges() const;

    /**
     * \brief Call the recompute callback with routing's current view now (no trace: done
     * automatically when changes mature).
     */
    void Recompute();

  protected:
    void DoDispose() override;

  private:
    /// A carrier change waiting to be learnt by routing.
    struct PendingChange
    {
        Time matures;  //!< event time + convergence delay
        uint32_t link; //!< link index
        bool up;       //!< new state
    };

    /**
     * \brief Carrier trace of a link's channel.
     * \param link link index
     * \param up new state
     */
    void CarrierChanged(uint32_t link, bool up);

    /// Apply the carrier changes that have matured and recompute the routes.
    void ApplyMaturedChanges();

    Time m_convergenceDelay;                          //!< "ConvergenceDelay"
    std::vector<Ptr<FabricChannel>> m_channels;       //!< watched links, by index
    std::vector<Callback<void, bool>> m_carrierSinks; //!< connected to the channels
    std::vector<bool> m_up;                           //!< routing's view, by link index
    std::deque<PendingChange> m_pending;              //!< changes routing has not learnt yet
    EventId m_convergenceEvent;                       //!< next ApplyMaturedChanges
    RecomputeCallback m_recompute;                    //!< programs the tables
    TracedCallback<Time> m_routesConvergedTrace;      //!< "RoutesConverged"
};

} // namespace ns3

#endif
