#ifndef OVERLAY_FABRIC_PORT_STAGE_H
#define OVERLAY_FABRIC_PORT_STAGE_H

#include "drop-reason.h"
#include "five-tuple.h"

#include "ns3/object.h"
#include "ns3/packet.h"

#include <cstdint>

namespace ns3
{

class VirtualSwitch;

/**
 * \ingroup overlay-fabric
 * \brief What a port stage decided about a frame.
 *
 * CONTINUE hands the frame to the next stage; CONSUMED means the stage took the frame (delivered
 * it, handed it to the VTEP, answered it) and no later stage sees it; DROP stops the pipeline and
 * the virtual switch reports the frame once through its "Drop" trace with the reason. A stage
 * never reports its own drops, so every drop is reported exactly once.
 */
struct PortVerdict
{
    /// The three outcomes of a stage.
    enum Action : uint8_t
    {
        CONTINUE = 0, //!< pass the frame to the next stage
        CONSUMED = 1, //!< the stage took the frame; the pipeline stops
        DROP = 2      //!< the pipeline stops and the switch drops the frame with the reason
    };

    Action action;     //!< the outcome
    DropReason reason; //!< why, when action is DROP

    /// \return a CONTINUE verdict
    static constexpr PortVerdict Continue()
    {
        return PortVerdict{CONTINUE, DropReason::COUNT};
    }

    /// \return a CONSUMED verdict
    static constexpr PortVerdict Consumed()
    {
        return PortVerdict{CONSUMED, DropReason::COUNT};
    }

    /**
     * \param reason why the frame is dropped
     * \return a DROP verdict
     */
    static constexpr PortVerdict Drop(DropReason reason)
    {
        return PortVerdict{DROP, reason};
    }
};

/**
 * \ingroup overlay-fabric
 * \brief What the stages of one port share about the frame they process: parsed once by the
 * virtual switch, on the stack, before the first stage runs (no allocation per packet).
 *
 * Stages may read every field and may write the ones meant for later stages (a classifier can
 * change flowHash, say); the frame itself is the packet the VM sent, with its FlowTag if the
 * flow is measured.
 */
struct PortContext
{
    VirtualSwitch* vswitch;         //!< the switch running the pipeline (valid during the call)
    Ptr<Packet> frame;              //!< the Ethernet frame the VM sent
    uint32_t port;                  //!< the ingress port
    uint32_t vni;                   //!< the port's logical switch
    uint64_t dstMac;                //!< destination MAC as a 48-bit integer (MacToInt)
    uint16_t etherType;             //!< Ethernet type of the frame
    bool hasFiveTuple;              //!< the frame is IPv4 and key holds its 5-tuple
    FiveTuple key;                  //!< the inner 5-tuple (when hasFiveTuple)
    uint32_t flowHash;              //!< inner-flow entropy (FlowEntropy of key, 0 when not IPv4)
    uint32_t headLength;            //!< bytes valid in head
    uint8_t head[FIVE_TUPLE_BYTES]; //!< the frame's first bytes (Ethernet, IPv4, L4 ports)

    /**
     * \param bytes six bytes of a MAC address
     * \return the address as a 48-bit integer, first byte most significant
     */
    static uint64_t MacToInt(const uint8_t* bytes)
    {
        uint64_t v = 0;
        for (int i = 0; i < 6; ++i)
        {
            v = (v << 8) | bytes[i];
        }
        return v;
    }
};

/**
 * \ingroup overlay-fabric
 * \brief One stage of a virtual switch port's pipeline, like a QueueDisc's PacketFilter: a small
 * object that classifies or acts on a frame and returns a verdict; the switch loops over the
 * port's stages in order.
 *
 * Each port runs an ordered list: by default ARP suppression, then any inserted stages (a mirror
 * tap, a service classifier...), then the L2 lookup, which always comes last and consumes or
 * drops every frame. Process() must be O(1) per frame: hashed or indexed lookups only, no scans,
 * no allocation except for frames the stage creates.
 */
class PortStage : public Object
{
  public:
    /**
     * \brief Get the TypeId.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    /**
     * \brief Process one frame.
     * \param ctx the frame and what the switch parsed from it
     * \return CONTINUE, CONSUMED, or DROP with a reason
     */
    virtual PortVerdict Process(PortContext& ctx) = 0;
};

} // namespace ns3

#endif
