#ifndef OVERLAY_FABRIC_SERVICE_PLANE_H
#define OVERLAY_FABRIC_SERVICE_PLANE_H

#include "drop-reason.h"
#include "nsh-header.h"

#include "ns3/ipv4-address.h"
#include "ns3/object.h"
#include "ns3/packet.h"
#include "ns3/traced-callback.h"

#include <cstdint>
#include <unordered_map>

namespace ns3
{

class ServiceClassifier;
class ServiceProxy;
class VirtualSwitch;
class Vtep;

/**
 * \ingroup overlay-fabric
 * \brief One host's part of the service plane: the NSH forwarder (RFC 8300's SFF) that moves a
 * packet from one service hop to the next (seed 001, Figs. 5-7).
 *
 * A service-plane packet is an inner Ethernet frame (the VM's, unchanged) with its NshHeader
 * beside it; the NSH is written in front of the frame only where it goes on a wire: into a
 * tunnel (GENEVE protocol 0x894F, seed paragraph 0041) or onto a service VM's vNIC (Ethernet type
 * 0x894F, without an outer header when the next SVM is on the same host, paragraph 0048).
 *
 * Forward() looks the packet's (SPI, SI) up in one hashed table: a proxy of a local SVM, or the
 * tunnel to the host of a remote one. The SI after a path's last SVM is its end: the NSH is
 * removed and the frame goes on to its destination on its source segment (VirtualSwitch::
 * ForwardOnSegment), at the last SVM's host; with an orthogonal service plane (paragraph 0054)
 * the packet first returns to the source classifier's host and is switched there. A packet
 * reflected as failed (paragraph 0065) goes back to the source classifier's host, where the
 * classifier takes it. Anything else is dropped with a reason (NO_SERVICE_HOP) through "Drop".
 *
 * Cost per packet: one hashed lookup per hop and, for tunnel hops, one parse of the inner
 * 5-tuple for the outer source port (the fabric's ECMP entropy); no scans.
 */
class ServicePlane : public Object
{
  public:
    static TypeId GetTypeId();

    /**
     * \brief Join the host's virtual switch and VTEP; the VTEP's NSH packets come here.
     * \param vswitch the host's virtual switch
     * \param vtep the host's VTEP
     */
    void Attach(Ptr<VirtualSwitch> vswitch, Ptr<Vtep> vtep);
    /// \return the host's VTEP address
    Ipv4Address GetLocalAddress() const;

    /**
     * \brief (SPI, SI) is a service VM on this host, behind \p proxy.
     */
    void AddLocalHop(uint32_t spi, uint8_t si, Ptr<ServiceProxy> proxy);
    /**
     * \brief (SPI, SI) is a service VM on the host whose VTEP is \p host (tunnel created).
     */
    void AddRemoteHop(uint32_t spi, uint8_t si, Ipv4Address host);
    /**
     * \brief A classifier on the host whose VTEP is \p host sends packets into paths with hops
     * here: reflections and orthogonal returns go back to it (tunnel created).
     */
    void AddSourceHost(Ipv4Address host);
    /**
     * \brief Path \p spi ends at \p endSi (the SI its last SVM's proxy hands on).
     * \param spi the path
     * \param endSi its last SVM's SI minus one
     * \param orthogonal the packet returns to the source classifier's host before delivery
     */
    void SetPathEnd(uint32_t spi, uint8_t endSi, bool orthogonal);
    /// \param classifier this host's classifier (reflected packets)
    void SetClassifier(Ptr<ServiceClassifier> classifier);

    /**
     * \brief Send a packet to its (SPI, SI) hop, or deliver it at the end of its path.
     * \param inner the inner Ethernet frame
     * \param nsh its service header
     * \param flowHash inner-flow entropy (the outer source port of a tunnel hop)
     */
    void Forward(Ptr<Packet> inner, const NshHeader& nsh, uint32_t flowHash);
    /**
     * \brief Send a packet back to the source classifier's host, action FAILED (seed paragraph
     * 0065), SPI and SI as they were at the failed SVM.
     */
    void Reflect(Ptr<Packet> inner, NshHeader nsh, uint32_t flowHash);
    /**
     * \brief For the proxies, SVMs and classifier of this host: report a dropped packet once.
     * \param packet the packet
     * \param reason why
     */
    void Drop(Ptr<const Packet> packet, DropReason reason);

    /**
     * \param inner an inner Ethernet frame
     * \return its flow entropy (FlowEntropy of its 5-tuple), 0 if it is not IPv4
     */
    static uint32_t InnerFlowHash(Ptr<const Packet> inner);

    /// Signature of "Drop".
    typedef void (*DropTracedCallback)(Ptr<const Packet> packet, DropReason reason);
    /// Signature of "Delivered": a packet left its service path, (packet, SPI).
    typedef void (*DeliveredTracedCallback)(Ptr<const Packet> packet, uint32_t spi);

  protected:
    void DoDispose() override;

  private:
    /// Where an (SPI, SI) goes from this host.
    struct Hop
    {
        Ptr<ServiceProxy> proxy; //!< local SVM's proxy, or null
        uint32_t tunnel;         //!< tunnel to the SVM's host (when proxy is null)
    };

    /// The end of a path.
    struct PathEnd
    {
        uint8_t si;      //!< SI after the last SVM
        bool orthogonal; //!< return to the source host first
    };

    /// \return the key of (spi, si) in m_hops
    static uint32_t Key(uint32_t spi, uint8_t si)
    {
        return spi << 8 | si;
    }

    /// NSH packets out of a tunnel (the VTEP's service-plane handler).
    void FromTunnel(uint32_t vni, Ipv4Address from, Ptr<Packet> packet);
    /// Encapsulate NSH + frame towards the host of tunnel \p tunnel.
    void SendTo(uint32_t tunnel, Ptr<Packet> inner, const NshHeader& nsh, uint32_t flowHash);
    /// Back to the source classifier's host, or to the classifier if that is this host.
    void ToSourceHost(Ptr<Packet> inner, const NshHeader& nsh, uint32_t flowHash);

    Ptr<VirtualSwitch> m_vswitch;                              //!< end of path: delivery
    Ptr<Vtep> m_vtep;                                          //!< tunnels to other hosts
    Ptr<ServiceClassifier> m_classifier;                       //!< this host's classifier, if any
    std::unordered_map<uint32_t, Hop> m_hops;                  //!< (SPI << 8 | SI) -> hop
    std::unordered_map<uint32_t, PathEnd> m_ends;              //!< SPI -> end of the path
    TracedCallback<Ptr<const Packet>, DropReason> m_dropTrace; //!< every drop, once
    TracedCallback<Ptr<const Packet>, uint32_t> m_deliveredTrace; //!< left its service path
};

} // namespace ns3

#endif
