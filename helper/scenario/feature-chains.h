#ifndef OVERLAY_FABRIC_FEATURE_CHAINS_H
#define OVERLAY_FABRIC_FEATURE_CHAINS_H

#include "management-network.h"
#include "scenario-feature.h"
#include "service-agent.h"
#include "service-classifier.h"
#include "service-controller.h"
#include "service-function.h"
#include "service-plane.h"
#include "service-proxy.h"
#include "vnic-net-device.h"

#include "ns3/pcap-file-wrapper.h"

#include <cstdint>
#include <optional>
#include <unordered_map>
#include <vector>

namespace ns3
{

/**
 * \ingroup overlay-fabric
 * \brief Service chains (seed 001; ScenarioConfig::svms, chains, service_plane).
 *
 * Builds each service VM (a node with one vNIC on a port of its host's virtual switch, on the
 * service VNI 0xFFFFFF, its ServiceFunction and its ServiceProxy as the port's first stage), a
 * ServicePlane on every host that has an SVM or sends a chain's flow, the hops of every path on
 * every such plane, one ServiceClassifier per source host (on the ports of the VMs that send a
 * chain's flow, with one rule per chain rule and source VM), and, with service_plane.controller,
 * the management network, the ServiceController with the status table and one ServiceAgent per
 * such host. SVM failures are scheduled from svms[].failures.
 *
 * Collects "chains": per path its SVMs and final status, per SVM the liveness counters and status
 * changes, per chain its path changes, the controller's status table over time, and per SVM
 * failure the timing breakdown (detection at the proxy, report at the controller, table change,
 * classifiers reprogrammed, first packet through a path avoiding the SVM), the flows it hit and
 * what they lost, by reason.
 */
class ChainsFeature : public ScenarioFeature
{
  public:
    void Install(const ScenarioConfig& config, ScenarioNetwork& network) override;
    void Collect(const ScenarioConfig& config,
                 const ScenarioNetwork& network,
                 nlohmann::ordered_json& results) override;

    std::vector<ResultsField> ResultsSections() const override;

    /// The VNI of the SVMs' ports: they carry NSH frames only, never a segment's.
    static constexpr uint32_t SERVICE_VNI = 0xFFFFFF;

  private:
    /// One SVM as built.
    struct Svm
    {
        uint32_t host;                  //!< its host
        Ptr<Node> node;                 //!< the SVM node
        Ptr<VnicNetDevice> vnic;        //!< its vNIC
        Ptr<ServiceFunction> function;  //!< what runs in it
        Ptr<ServiceProxy> proxy;        //!< its proxy
        std::vector<uint32_t> paths;    //!< SPIs of the paths through it
        std::vector<Time> statusAt;     //!< proxy status changes: when
        std::vector<bool> statusUp;     //!< ... up or down
        std::vector<uint8_t> statusWhy; //!< ... ServiceProxy::Cause
    };

    /// A change of the path a host's classifier chose for a chain.
    struct PathChange
    {
        Time at;        //!< when
        uint32_t host;  //!< the source host
        uint32_t chain; //!< the chain id
        uint32_t spi;   //!< new path (ServiceClassifier::NO_PATH: none is UP)
        uint8_t cause;  //!< ServiceClassifier::Cause
    };

    /// A packet of a chain's flow dropped after a failure began.
    struct ChainDrop
    {
        Time at;           //!< when
        Time sentAt;       //!< when its VM sent it
        DropReason reason; //!< why
    };

    /// What one failure of an SVM did (one per svms[].failures entry).
    struct Failure
    {
        uint32_t svm;           //!< SVM index
        uint32_t index;         //!< index in its failures list
        Time at;                //!< start
        Time owns{Time::Max()}; //!< events of the SVM until then are this failure's: the start
                                //!< of the SVM's next failure (an ended one may still be seen)
        std::vector<uint32_t> onPath;                 //!< flows on a path through it at `at`
        std::vector<int32_t> slotOfFlow;              //!< per flow: its index in onPath, or -1
        uint32_t unrecovered{0};                      //!< flows of onPath without a recovery yet
        std::vector<std::optional<Time>> recoveredAt; //!< per such flow: first delivery avoiding it
        std::vector<Time> recoveredSentAt;            //!< ... that packet's send time
        std::optional<Time> reportAt;                 //!< its DOWN report reached the controller
        std::optional<Time> controllerAt;             //!< the controller acted on a DOWN of it
        uint8_t controllerMechanism{0};    //!< ... which mechanism (ServiceController::Mechanism)
        std::optional<Time> tableChangeAt; //!< first path through it DOWN in the table
    };

    void BuildSvm(const ScenarioConfig& config, ScenarioNetwork& network, uint32_t i);
    void BuildPaths(const ScenarioConfig& config, ScenarioNetwork& network);
    void BuildClassifiers(const ScenarioConfig& config, ScenarioNetwork& network);
    void BuildControl(const ScenarioConfig& config, ScenarioNetwork& network);
    void ScheduleFailures(const ScenarioConfig& config);
    void EnablePcap(const ScenarioConfig& config, ScenarioNetwork& network);

    /// Failure \p failure of SVM \p svm starts (\p start) or ends.
    void ApplyFailure(uint32_t svm, uint32_t failure, bool start);

    // Trace sinks.
    void ProxyStatus(uint32_t svm, bool up, uint8_t cause);
    void ReportReceived(uint32_t svm, bool up);
    void ControllerActed(uint32_t svm, bool up, uint8_t cause, uint8_t mechanism);
    void TableChanged(uint32_t spi, bool up);
    void PathSelected(uint32_t host, uint32_t chain, uint32_t spi, uint8_t cause);
    void Delivered(Ptr<const Packet> packet, uint32_t spi);
    void Dropped(Ptr<const Packet> packet, DropReason reason);

    /// \return whether path \p spi goes through SVM \p svm
    bool PathHasSvm(uint32_t spi, uint32_t svm) const;

    /// \return whether an event of \p f's SVM at \p t belongs to \p f
    static bool Owns(const Failure& f, Time t)
    {
        return t >= f.at && t < f.owns;
    }

    const ScenarioConfig* m_config{nullptr};            //!< the scenario
    std::vector<Svm> m_svms;                            //!< by svms index
    std::vector<Ptr<ServicePlane>> m_planes;            //!< by host; null where none
    std::vector<Ptr<ServiceClassifier>> m_classifiers;  //!< by host; null where none
    std::vector<int32_t> m_chainOfFlow;                 //!< by flow: chain index or -1
    std::vector<std::vector<uint32_t>> m_pathSvms;      //!< by SPI slot: SVM indexes
    std::vector<uint32_t> m_spis;                       //!< every SPI, in configuration order
    std::unordered_map<uint32_t, uint32_t> m_slotOfSpi; //!< SPI -> index in m_spis
    Ptr<ManagementNetwork> m_management;                //!< null without the controller
    Ptr<ServiceController> m_controller;                //!< null without the controller
    std::vector<Ptr<ServiceAgent>> m_agents;            //!< by participating host
    std::vector<PathChange> m_pathChanges;              //!< every classifier's path changes
    std::vector<std::vector<ChainDrop>> m_dropsOfFlow;  //!< per flow: drops after a failure began
    std::vector<Failure> m_failures;                    //!< every failure, SVM by SVM as configured
    std::vector<uint32_t> m_open;                       //!< m_failures with flows not recovered yet
    Time m_firstFailureAt{Time::Max()};                 //!< the earliest failure's start
    std::vector<Ptr<PcapFileWrapper>> m_pcaps;          //!< SVM vNIC captures
    FlowLedger* m_ledger{nullptr};                      //!< network.ledger
};

} // namespace ns3

#endif
