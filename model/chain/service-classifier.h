#ifndef OVERLAY_FABRIC_SERVICE_CLASSIFIER_H
#define OVERLAY_FABRIC_SERVICE_CLASSIFIER_H

#include "five-tuple.h"
#include "nsh-header.h"
#include "port-stage.h"

#include "ns3/ipv4-address.h"
#include "ns3/traced-callback.h"

#include <cstdint>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace ns3
{

class ServicePlane;

/**
 * \ingroup overlay-fabric
 * \brief One path of a service chain: its SPI and its SVMs in order, the first at \p firstSi
 * (seed 001 Fig. 3: SPI 1 = SVM1 SI 3, SVM2 SI 2, SVM3 SI 1).
 */
struct ServicePathSpec
{
    uint32_t spi{0};            //!< service path identifier
    uint8_t firstSi{0};         //!< SI of the first SVM; each next one has one less
    std::vector<uint32_t> svms; //!< SVM ids in path order
};

/**
 * \ingroup overlay-fabric
 * \brief A service insertion rule (seed 001 paragraph 0039): packets whose inner 5-tuple matches
 * go through chain \p chain.
 */
struct ServiceRule
{
    uint32_t source{0};      //!< inner source IPv4 (host order), 0 = any
    uint32_t destination{0}; //!< inner destination IPv4 (host order), 0 = any
    uint8_t protocol{0};     //!< IP protocol, 0 = any
    uint16_t dstPort{0};     //!< destination port, 0 = any
    uint32_t chain{0};       //!< the chain
};

/**
 * \ingroup overlay-fabric
 * \brief The service insertion classifier of a host's VMs (seed 001, classifiers 145-146,
 * paragraphs 0039-0041, 0064-0065), a stage of their ports' pipeline before the L2 lookup.
 *
 * A frame whose inner 5-tuple matches a rule is steered into its chain's first path whose
 * status is UP: the classifier adds the NSH (SPI, the first SVM's SI, TTL 63, the source VTEP
 * and segment in the context) and hands it to the service plane, which sends it to the first
 * SVM; the frame does not reach the L2 lookup. If no path of the chain is UP, the frame is
 * dropped (NO_SERVICE_PATH): traffic never skips a service. Frames that match no rule continue.
 *
 * Path status comes from the controller (SetPathStatus, on its push to the host's agent) and,
 * faster, from a packet a proxy reflects with action FAILED (Reflected): every path through
 * the failed SVM becomes DOWN here at once, and the reflected packet is re-steered into the
 * chain's next UP path, so it is not lost. The chosen path of each chain is recomputed on every
 * status change ("PathSelected"), so a packet costs one hashed lookup of its 5-tuple in a flow
 * cache; the rules are evaluated in order once per new flow, as Open vSwitch's megaflow cache
 * does, and the cache holds one entry per flow the host's VMs send.
 */
class ServiceClassifier : public PortStage
{
  public:
    /// The chain has no UP path (PathSelected's spi).
    static constexpr uint32_t NO_PATH = 0xffffffff;

    /// Why the chosen path of a chain changed.
    enum Cause : uint8_t
    {
        CAUSE_CONTROLLER = 0, //!< the controller's status push
        CAUSE_REFLECTION = 1  //!< a packet reflected as FAILED
    };

    static TypeId GetTypeId();

    /// \param plane the host's service plane
    void SetServicePlane(Ptr<ServicePlane> plane);
    /**
     * \brief Chain \p chain with its paths in order of preference (all UP at first).
     * \param chain the chain id (SCID)
     * \param paths its paths
     */
    void AddChain(uint32_t chain, const std::vector<ServicePathSpec>& paths);
    /// \param rule a rule, evaluated after the rules added before it
    void AddRule(const ServiceRule& rule);
    /**
     * \brief The controller's word on some paths, applied together (one push may invalidate
     * every path through a failed SVM): each chain then selects its first UP path once.
     * \param statuses (SPI, up) pairs; SPIs of chains this classifier does not have are ignored
     */
    void SetPathStatus(const std::vector<std::pair<uint32_t, bool>>& statuses);
    /**
     * \param chain the chain
     * \return the SPI its packets take now, or NO_PATH
     */
    uint32_t GetSelectedPath(uint32_t chain) const;

    /**
     * \brief A packet a proxy reflected with action FAILED (the service plane hands it here).
     * \param inner the inner frame
     * \param nsh its NSH (SPI and SI of the failed SVM)
     * \param flowHash inner-flow entropy
     */
    void Reflected(Ptr<Packet> inner, const NshHeader& nsh, uint32_t flowHash);

    PortVerdict Process(PortContext& ctx) override;

    /// Signature of "PathSelected": (chain, SPI or NO_PATH, cause).
    typedef void (*PathSelectedTracedCallback)(uint32_t chain, uint32_t spi, uint8_t cause);

  protected:
    void DoDispose() override;

  private:
    /// No chain for a flow (flow cache value).
    static constexpr uint32_t NO_CHAIN = 0xffffffff;

    /// One path's state here.
    struct Path
    {
        ServicePathSpec spec;      //!< SPI, first SI, SVMs
        uint32_t chain;            //!< its chain
        bool controllerUp{true};   //!< the controller's status
        bool reflectedDown{false}; //!< a reflection said one of its SVMs failed
    };

    /// \return the chain of a new flow \p key (rules in order), or NO_CHAIN
    uint32_t Classify(const FiveTuple& key) const;
    /// Choose the first UP path of \p chain again.
    void Reselect(uint32_t chain, Cause cause);
    /// Send \p inner into chain \p chain's chosen path; false if it has none.
    bool Steer(uint32_t chain, Ptr<Packet> inner, uint32_t vni, uint32_t flowHash);

    Ptr<ServicePlane> m_plane;                                          //!< first hops
    std::vector<ServiceRule> m_rules;                                   //!< in order
    std::unordered_map<uint32_t, std::vector<uint32_t>> m_chains;       //!< chain -> path indexes
    std::unordered_map<uint32_t, uint32_t> m_selected;                  //!< chain -> path index
    std::vector<Path> m_paths;                                          //!< every path
    std::unordered_map<uint32_t, uint32_t> m_pathOfSpi;                 //!< SPI -> path index
    std::unordered_map<FiveTuple, uint32_t, FiveTupleHash> m_flowChain; //!< flow cache
    TracedCallback<uint32_t, uint32_t, uint8_t> m_pathSelectedTrace;    //!< chosen path changed
};

} // namespace ns3

#endif
