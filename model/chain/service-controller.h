#ifndef OVERLAY_FABRIC_SERVICE_CONTROLLER_H
#define OVERLAY_FABRIC_SERVICE_CONTROLLER_H

#include "service-control-header.h"

#include "ns3/application.h"
#include "ns3/event-id.h"
#include "ns3/ipv4-address.h"
#include "ns3/nstime.h"
#include "ns3/socket.h"
#include "ns3/traced-callback.h"

#include <cstdint>
#include <map>
#include <unordered_map>
#include <vector>

namespace ns3
{

/**
 * \ingroup overlay-fabric
 * \brief The SDN controller's part in service chaining (seed 001, controller 182, paragraphs
 * 0033, 0059-0065, 0071-0072): the status table of every service path, kept from the agents'
 * reports, and the push of its changes to the hosts' agents.
 *
 * An ns-3 application on the controller node, reached by the agents over the management
 * network with real UDP messages (ServiceControlHeader, port 5599). A REPORT, a missed
 * heartbeat deadline or an administrator's fail takes ProcessingDelay to act on; then an SVM is
 * DOWN if any mechanism says so and UP only when all say UP (paragraph 0072: proxy report,
 * heartbeat, administrator), every path through a DOWN SVM is DOWN (paragraph 0064), the change
 * goes into the status table's history ("DOWN(SVM2)", Fig. 3's table 340) and one PUSH with every
 * path whose status changed goes to every agent.
 *
 * Heartbeats (the "controller alone" detector): an SVM named in WatchHeartbeats() is DOWN when
 * no agent heartbeat has listed it for HeartbeatTimeout, checked every HeartbeatTimeout / 4;
 * the controller itself sees only what the agents tell it, as in the seed.
 *
 * Default ProcessingDelay 1 s: seed 001 paragraph 0065 says the controller "might have a slower
 * reaction (e.g., within a few seconds)" than the data plane's reflection; 1 s is the low end.
 * HeartbeatTimeout 3 s: three missed heartbeats at the agents' default 1 s interval.
 */
class ServiceController : public Application
{
  public:
    /// One change of the status table.
    struct TableChange
    {
        Time at;                      //!< when the controller changed it
        uint32_t spi;                 //!< the path
        bool up;                      //!< its new status
        std::vector<uint32_t> failed; //!< its DOWN SVMs (empty when UP)
    };

    /// Which mechanism said an SVM is DOWN.
    enum Mechanism : uint8_t
    {
        PROXY = 0,     //!< a proxy's report (liveness, interface watch)
        HEARTBEAT = 1, //!< missed heartbeats
        ADMIN = 2      //!< the administrator (paragraph 0071)
    };

    static TypeId GetTypeId();
    ServiceController();

    /**
     * \brief A row of the status table: path \p spi through \p svms (UP at first).
     * \param spi the path
     * \param svms its SVMs in order
     */
    void AddPath(uint32_t spi, const std::vector<uint32_t>& svms);
    /// \param agent an agent's address: it gets every PUSH
    void AddAgent(Ipv4Address agent);
    /// \param svm expect heartbeats for this SVM
    void WatchHeartbeats(uint32_t svm);
    /**
     * \brief The administrator fails (or un-fails) SVM \p svm (paragraph 0071), through the
     * manager: acted on after ProcessingDelay.
     */
    void AdminFail(uint32_t svm, bool failed);

    /// \return whether path \p spi is UP in the status table
    bool IsPathUp(uint32_t spi) const;
    /// \return every change of the status table, in order
    const std::vector<TableChange>& GetHistory() const;
    /// \return the SPIs in table order
    std::vector<uint32_t> GetPaths() const;
    /// \return the SVMs of path \p spi
    const std::vector<uint32_t>& GetPathSvms(uint32_t spi) const;
    /// \return messages received: REPORT, HEARTBEAT
    uint64_t GetReports() const;
    /// \return PUSH messages sent (one per agent per change)
    uint64_t GetPushes() const;

    /// Signature of "Report": (SVM id, up, cause, mechanism) as the controller acts on it.
    typedef void (*ReportTracedCallback)(uint32_t svm, bool up, uint8_t cause, uint8_t mechanism);
    /// Signature of "TableChange": (SPI, up).
    typedef void (*TableChangeTracedCallback)(uint32_t spi, bool up);
    /// Signature of "ReportReceived": (SVM id, up).
    typedef void (*ReportReceivedTracedCallback)(uint32_t svm, bool up);

  protected:
    void DoDispose() override;

  private:
    /// What the controller knows of one SVM.
    struct SvmState
    {
        bool down[3]{false, false, false}; //!< by mechanism
        bool watched{false};               //!< heartbeats expected
        Time lastHeartbeat;                //!< when one last listed it
        std::vector<uint32_t> paths;       //!< indexes of the paths through it
    };

    /// One row of the status table.
    struct Row
    {
        uint32_t spi;               //!< path
        std::vector<uint32_t> svms; //!< its SVMs
        bool up{true};              //!< status
    };

    void StartApplication() override;
    void StopApplication() override;
    void Receive(Ptr<Socket> socket);
    void CheckHeartbeats();
    /// After ProcessingDelay: mechanism \p m says SVM \p svm is up or not.
    void Act(uint32_t svm, bool up, uint8_t cause, Mechanism m);
    /// \return whether SVM \p svm is DOWN by any mechanism
    bool IsSvmDown(uint32_t svm) const;

    Time m_processingDelay;                            //!< per report
    Time m_heartbeatTimeout;                           //!< heartbeats missed this long: DOWN
    Ptr<Socket> m_socket;                              //!< UDP 5599
    std::vector<Row> m_rows;                           //!< the status table
    std::unordered_map<uint32_t, uint32_t> m_rowOfSpi; //!< SPI -> row
    std::map<uint32_t, SvmState> m_svms; //!< by SVM id (ordered: deterministic pushes)
    std::vector<Ipv4Address> m_agents;   //!< PUSH destinations
    std::vector<TableChange> m_history;  //!< the table over time
    EventId m_heartbeatCheck;            //!< periodic check
    uint32_t m_pushSequence{0};          //!< PUSH numbering
    uint64_t m_reports{0};               //!< messages received
    uint64_t m_pushes{0};                //!< messages sent

    TracedCallback<uint32_t, bool, uint8_t, uint8_t> m_reportTrace; //!< acted on
    TracedCallback<uint32_t, bool> m_reportReceivedTrace;           //!< a REPORT arrived
    TracedCallback<uint32_t, bool> m_tableChangeTrace;              //!< table changes
};

} // namespace ns3

#endif
