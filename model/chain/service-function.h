#ifndef OVERLAY_FABRIC_SERVICE_FUNCTION_H
#define OVERLAY_FABRIC_SERVICE_FUNCTION_H

#include "drop-reason.h"
#include "nsh-header.h"

#include "ns3/application.h"
#include "ns3/ipv4-address.h"
#include "ns3/net-device.h"
#include "ns3/nstime.h"
#include "ns3/random-variable-stream.h"
#include "ns3/traced-callback.h"

#include <cstdint>
#include <vector>

namespace ns3
{

class VnicNetDevice;

/**
 * \ingroup overlay-fabric
 * \brief What runs inside a service VM (seed 001 paragraphs 0025, 0045-0047): a service function
 * on the NSH packets its proxy hands it, and the answer to every liveness query.
 *
 * The SVM is an ns-3 node with one vNIC on its host's virtual switch; this application takes
 * every frame of Ethernet type 0x894F from it. For each: the query (PING bit) is answered with
 * the query's sequence, whether or not the data packet survives the function (paragraph 0045):
 * on the processed packet when it goes on, else on an answer of its own (O bit, no inner
 * packet). Then the function:
 * - PASS_THROUGH: returns the packet unchanged;
 * - FIREWALL: drops packets matching a rule (IP protocol and destination port, 0 = any),
 *   SERVICE_FUNCTION, and returns the rest;
 * - DROP_ALL: drops every data packet (a copy-mode SVM, paragraph 0046), SERVICE_FUNCTION;
 * - NAT: rewrites the inner IPv4 source to NatAddress (header checksum recomputed if the frame
 *   carried one; an inner UDP checksum, zero in this model, is left as it is).
 *
 * Failure modes (set by the fault injector): CRASHED (silent: takes packets and answers nothing,
 * "hardware or software failure", paragraph 0032), HUNG (receives, never answers, never returns
 * a packet), FLAKY (answers each query with probability AnswerProbability, data unaffected:
 * "occasional loss ... full queues", paragraph 0047), SLOW (everything it returns waits
 * SlowDelay more). Packets lost inside a crashed or hung SVM are reported as SERVICE_VM_FAILED.
 * Interface down is the vNIC's (VnicNetDevice::SetLinkUp).
 *
 * Simplification: the SVM has no queue and no service rate; every packet takes ProcessingDelay
 * (0 by default: seed 001 gives no figure, and detection and failover times are what it is
 * about), so an SVM never drops for load.
 */
class ServiceFunction : public Application
{
  public:
    /// The service the SVM performs.
    enum Function : uint8_t
    {
        PASS_THROUGH = 0, //!< returns every packet
        FIREWALL = 1,     //!< drops packets matching a rule
        DROP_ALL = 2,     //!< drops every data packet (copy mode)
        NAT = 3           //!< rewrites the inner source address
    };

    /// The SVM's health.
    enum Health : uint8_t
    {
        HEALTHY = 0, //!< works
        CRASHED = 1, //!< silent
        HUNG = 2,    //!< receives, never answers or returns
        FLAKY = 3,   //!< answers queries with probability AnswerProbability
        SLOW = 4     //!< adds SlowDelay to everything it returns
    };

    static TypeId GetTypeId();
    ServiceFunction();

    /// \param vnic the SVM's vNIC (set before the application starts)
    void SetVnic(Ptr<VnicNetDevice> vnic);
    /**
     * \brief FIREWALL: drop inner packets of IP protocol \p protocol to port \p dstPort.
     * \param protocol IP protocol, 0 = any
     * \param dstPort destination port, 0 = any
     */
    void AddFirewallRule(uint8_t protocol, uint16_t dstPort);
    /// \param health the SVM's new health (a fault, or HEALTHY to repair it)
    void SetHealth(Health health);
    /// \return the SVM's health
    Health GetHealth() const;

    /**
     * \param stream first random stream to use
     * \return streams used (1)
     */
    int64_t AssignStreams(int64_t stream);

    /// Counters of what the SVM saw.
    struct Counters
    {
        uint64_t queries{0};   //!< liveness queries received
        uint64_t answered{0};  //!< queries answered
        uint64_t processed{0}; //!< data packets returned
        uint64_t dropped{0};   //!< data packets dropped by the function
    };

    /// \return the counters
    const Counters& GetCounters() const;

    /// Signature of "Drop".
    typedef void (*DropTracedCallback)(Ptr<const Packet> packet, DropReason reason);
    /// Signature of "Hold": (packet, true when its delay starts, false when it ends).
    typedef void (*HoldTracedCallback)(Ptr<const Packet> packet, bool start);

  protected:
    void DoDispose() override;

  private:
    /// A firewall rule.
    struct Rule
    {
        uint8_t protocol; //!< 0 = any
        uint16_t port;    //!< 0 = any
    };

    void StartApplication() override;
    void StopApplication() override;
    void Receive(Ptr<NetDevice> device,
                 Ptr<const Packet> packet,
                 uint16_t protocol,
                 const Address& from,
                 const Address& to,
                 NetDevice::PacketType type);
    /// \return true if the function keeps \p inner (rewritten in place for NAT)
    bool Apply(Ptr<Packet> inner);
    /// Send \p packet (NSH + frame) back to \p to after the SVM's delay.
    void Return(Ptr<Packet> packet, Address to);
    /// Send \p packet back to the proxy; \p held: it waited a delay ("Hold" ends).
    void Emit(Ptr<Packet> packet, Address to, bool held);

    Function m_function{PASS_THROUGH};   //!< the service
    Health m_health{HEALTHY};            //!< failure mode
    Time m_processingDelay;              //!< per packet
    Time m_slowDelay;                    //!< added while SLOW
    double m_answerProbability{1.0};     //!< while FLAKY
    Ipv4Address m_natAddress;            //!< NAT source address
    std::vector<Rule> m_rules;           //!< FIREWALL rules
    Ptr<VnicNetDevice> m_vnic;           //!< the SVM's vNIC
    Ptr<UniformRandomVariable> m_random; //!< FLAKY answers
    Counters m_counters;                 //!< what it saw

    TracedCallback<Ptr<const Packet>, DropReason> m_dropTrace; //!< every drop, once
    TracedCallback<Ptr<const Packet>, bool> m_holdTrace;       //!< delay starts / ends
};

} // namespace ns3

#endif
