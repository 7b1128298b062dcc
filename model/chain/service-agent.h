#ifndef OVERLAY_FABRIC_SERVICE_AGENT_H
#define OVERLAY_FABRIC_SERVICE_AGENT_H

#include "service-control-header.h"

#include "ns3/application.h"
#include "ns3/event-id.h"
#include "ns3/ipv4-address.h"
#include "ns3/nstime.h"
#include "ns3/socket.h"
#include "ns3/traced-callback.h"

#include <cstdint>
#include <vector>

namespace ns3
{

class ServiceClassifier;
class ServiceFunction;
class ServiceProxy;
class VnicNetDevice;

/**
 * \ingroup overlay-fabric
 * \brief A host's local control plane agent for service chaining (seed 001, LCP agents
 * 119A-C, paragraphs 0060 and 0063): it reports its proxies' status changes to the controller
 * and applies the controller's path status pushes to its classifier.
 *
 * An ns-3 application on the host's management node, one link away from the controller on the
 * management network, talking UDP (ServiceControlHeader, port 5599). The proxies and the
 * classifier are in the same host, so the agent calls them directly (the seed's agent writes to
 * a data store the controller reads, paragraph 0060; here the message itself crosses the
 * management network, so its delay comes out of the simulation). A push is applied
 * ProcessingDelay after it arrives (0 by default: the seed gives no figure for the agent).
 *
 * With HeartbeatInterval set, every interval one HEARTBEAT lists the host's SVMs whose guest
 * runs (not CRASHED, vNIC connected): the controller-alone detector. A hung SVM's guest still
 * runs, so heartbeats alone do not find it.
 */
class ServiceAgent : public Application
{
  public:
    static TypeId GetTypeId();
    ServiceAgent();

    /// \param proxy a proxy on this host: its status changes are reported
    void AddProxy(Ptr<ServiceProxy> proxy);
    /// \param classifier this host's classifier: pushes are applied to it
    void SetClassifier(Ptr<ServiceClassifier> classifier);
    /**
     * \brief SVM \p svm on this host, whose guest the heartbeats speak for.
     * \param svm the SVM id
     * \param function its service function (health)
     * \param vnic its vNIC (link)
     */
    void AddHeartbeatSource(uint32_t svm, Ptr<ServiceFunction> function, Ptr<VnicNetDevice> vnic);

    /// \return REPORT messages sent
    uint64_t GetReportsSent() const;
    /// \return PUSH messages applied
    uint64_t GetPushesApplied() const;

    /// Signature of "PushApplied": (SPI, up) for each entry, when applied to the classifier.
    typedef void (*PushAppliedTracedCallback)(uint32_t spi, bool up);

  protected:
    void DoDispose() override;

  private:
    /// A heartbeat source.
    struct Source
    {
        uint32_t svm;                  //!< SVM id
        Ptr<ServiceFunction> function; //!< its health
        Ptr<VnicNetDevice> vnic;       //!< its link
    };

    void StartApplication() override;
    void StopApplication() override;
    void StatusChanged(uint32_t svm, bool up, uint8_t cause);
    void Receive(Ptr<Socket> socket);
    void Apply(std::vector<std::pair<uint32_t, bool>> statuses);
    void Heartbeat();
    void Send(const ServiceControlHeader& message);

    Ipv4Address m_controller;                 //!< the controller's address
    Time m_processingDelay;                   //!< push to classifier
    Time m_heartbeatInterval;                 //!< 0: no heartbeats
    Ptr<Socket> m_socket;                     //!< UDP 5599
    std::vector<Ptr<ServiceProxy>> m_proxies; //!< reported
    Ptr<ServiceClassifier> m_classifier;      //!< pushes applied
    std::vector<Source> m_sources;            //!< heartbeat sources
    EventId m_heartbeat;                      //!< heartbeat timer
    uint32_t m_sequence{0};                   //!< message numbering
    uint64_t m_reportsSent{0};                //!< REPORTs sent
    uint64_t m_pushesApplied{0};              //!< PUSHes applied

    TracedCallback<uint32_t, bool> m_pushAppliedTrace; //!< classifier reprogrammed
};

} // namespace ns3

#endif
