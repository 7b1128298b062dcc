#ifndef OVERLAY_FABRIC_DROP_REASON_H
#define OVERLAY_FABRIC_DROP_REASON_H

#include <cstdint>
#include <string>

namespace ns3
{

/**
 * \ingroup overlay-fabric
 * \brief Why a model dropped a packet. Every drop in the module is reported once, through a
 * "Drop" trace source of signature (Ptr<const Packet>, DropReason), so that per flow
 * sent = delivered + dropped-by-reason + in flight holds (DESIGN principle 3).
 */
enum class DropReason : uint8_t
{
    LINK_DOWN = 0,       //!< sent on, or in flight on, a link whose carrier is lost
    SILENT_DROP,         //!< dropped by an injected silent-drop fault (carrier stays up)
    QUEUE_OVERFLOW,      //!< transmit queue of a fabric port full
    NO_ROUTE,            //!< switch has no usable next hop for the outer destination
    TTL_EXPIRED,         //!< outer TTL reached zero in the fabric
    MTU_EXCEEDED,        //!< frame larger than the link MTU
    NO_UPLINK,           //!< VTEP has no uplink it may send on
    UNKNOWN_DESTINATION, //!< virtual switch has no L2 entry for (VNI, destination MAC)
    MALFORMED,           //!< header refused by a parser (bad version, length past the end...)
    NOT_FOR_US,          //!< tunnel packet whose outer destination or port is not this VTEP
    VM_STACK,            //!< dropped inside a VM's IP stack (ns-3 Ipv4L3Protocol Drop trace)
    NO_LOGICAL_ROUTE,    //!< distributed router: no port on the destination subnet, or no neighbour
    INNER_TTL_EXPIRED,   //!< distributed router: the inner TTL would reach zero
    VNIC_DOWN,           //!< sent by or to a vNIC whose link to its port is down
    NO_SERVICE_PATH,     //!< service classifier: every path of the chain is DOWN
    SERVICE_VM_DOWN,     //!< at the proxy of a service VM declared DOWN (not reflected)
    SERVICE_VM_FAILED,   //!< lost inside a crashed or hung service VM
    SERVICE_FUNCTION,    //!< dropped by a service VM's function (firewall rule, drop-all)
    NO_SERVICE_HOP,      //!< NSH packet whose (SPI, SI) has no next hop on this host
    NSH_TTL_EXPIRED,     //!< NSH TTL reached zero on the service path
    NIC_MISS,            //!< offloading NIC: no mapping entry and no gateway for the VNI
    VLAN_MISMATCH,       //!< offloading NIC: outer VLAN ID is not the NIC's (seed 002 Fig. 14)
    VTEP_MISMATCH,       //!< offloading NIC: a VF's packet from a VTEP the table does not name
    INNER_CHECKSUM,      //!< offloading NIC: the inner IPv4 header checksum is wrong
    CPU_BACKLOG,         //!< host CPU model: the core's backlog of packets was full
    NIC_PIPELINE,        //!< offloading NIC: its lookup pipeline's ring was full
    VM_MIGRATED,         //!< arrived at a host the destination VM has migrated away from
    NIC_ENCAP_FAILED,    //!< offloading NIC: its encapsulation engine has failed (a fault)
    MIRROR_LIST_OVERFLOW, //!< mirror filter: the session's mirrored-packet list was full
    NO_MONITOR, //!< a mirror VNI's copy at a host with no monitor VM on it (seed 003, 0073)
    COUNT       //!< number of reasons, not a reason
};

/// \return the stable snake-case name used in results.json (e.g. "silent_drop").
inline std::string
ToString(DropReason reason)
{
    switch (reason)
    {
    case DropReason::LINK_DOWN:
        return "link_down";
    case DropReason::SILENT_DROP:
        return "silent_drop";
    case DropReason::QUEUE_OVERFLOW:
        return "queue_overflow";
    case DropReason::NO_ROUTE:
        return "no_route";
    case DropReason::TTL_EXPIRED:
        return "ttl_expired";
    case DropReason::MTU_EXCEEDED:
        return "mtu_exceeded";
    case DropReason::NO_UPLINK:
        return "no_uplink";
    case DropReason::UNKNOWN_DESTINATION:
        return "unknown_destination";
    case DropReason::MALFORMED:
        return "malformed";
    case DropReason::NOT_FOR_US:
        return "not_for_us";
    case DropReason::VM_STACK:
        return "vm_stack";
    case DropReason::NO_LOGICAL_ROUTE:
        return "no_logical_route";
    case DropReason::INNER_TTL_EXPIRED:
        return "inner_ttl_expired";
    case DropReason::VNIC_DOWN:
        return "vnic_down";
    case DropReason::NO_SERVICE_PATH:
        return "no_service_path";
    case DropReason::SERVICE_VM_DOWN:
        return "service_vm_down";
    case DropReason::SERVICE_VM_FAILED:
        return "service_vm_failed";
    case DropReason::SERVICE_FUNCTION:
        return "service_function";
    case DropReason::NO_SERVICE_HOP:
        return "no_service_hop";
    case DropReason::NSH_TTL_EXPIRED:
        return "nsh_ttl_expired";
    case DropReason::NIC_MISS:
        return "nic_miss";
    case DropReason::VLAN_MISMATCH:
        return "vlan_mismatch";
    case DropReason::VTEP_MISMATCH:
        return "vtep_mismatch";
    case DropReason::INNER_CHECKSUM:
        return "inner_checksum";
    case DropReason::CPU_BACKLOG:
        return "cpu_backlog";
    case DropReason::NIC_PIPELINE:
        return "nic_pipeline";
    case DropReason::VM_MIGRATED:
        return "vm_migrated";
    case DropReason::NIC_ENCAP_FAILED:
        return "nic_encap_failed";
    case DropReason::MIRROR_LIST_OVERFLOW:
        return "mirror_list_overflow";
    case DropReason::NO_MONITOR:
        return "no_monitor";
    case DropReason::COUNT:
        break;
    }
    return "invalid";
}

} // namespace ns3

#endif
