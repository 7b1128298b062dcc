#include "bfd-header.h"

#include "ns3/abort.h"
#include "ns3/log.h"

#include <algorithm>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("BfdHeader");

NS_OBJECT_ENSURE_REGISTERED(BfdHeader);

namespace
{

/// Bits of the second byte (Sta|P|F|C|A|D|M).
constexpr uint8_t FLAG_P = 0x20;
constexpr uint8_t FLAG_F = 0x10;
constexpr uint8_t FLAG_C = 0x08;
constexpr uint8_t FLAG_A = 0x04;
constexpr uint8_t FLAG_D = 0x02;
constexpr uint8_t FLAG_M = 0x01;

/// Minimum Length when the A bit is set: 24 plus the 2-byte Auth Type and Auth Len.
constexpr uint32_t MIN_LENGTH_WITH_AUTH = 26;

/**
 * \brief Hand \p reason to the caller if it asked for it.
 * \param error where the caller wants the reason, or null
 * \param reason why the input was refused
 */
void
SetError(std::string* error, std::string reason)
{
    NS_LOG_LOGIC("refused: " << reason);
    if (error != nullptr)
    {
        *error = std::move(reason);
    }
}

/**
 * \param p four bytes in network order
 * \return the 32-bit value
 */
uint32_t
ReadU32(const uint8_t* p)
{
    return (static_cast<uint32_t>(p[0]) << 24) | (static_cast<uint32_t>(p[1]) << 16) |
           (static_cast<uint32_t>(p[2]) << 8) | static_cast<uint32_t>(p[3]);
}

} // namespace

std::string
BfdHeader::StateToString(State state)
{
    switch (state)
    {
    case ADMIN_DOWN:
        return "AdminDown";
    case DOWN:
        return "Down";
    case INIT:
        return "Init";
    case UP:
        return "Up";
    }
    return "Invalid";
}

BfdHeader::BfdHeader()
{
}

TypeId
BfdHeader::GetTypeId()
{
    static TypeId tid = TypeId("ns3::BfdHeader")
                            .SetParent<Header>()
                            .SetGroupName("OverlayFabric")
                            .AddConstructor<BfdHeader>();
    return tid;
}

TypeId
BfdHeader::GetInstanceTypeId() const
{
    return GetTypeId();
}

void
BfdHeader::Print(std::ostream& os) const
{
    os << "BFD state=" << StateToString(static_cast<State>(m_state))
       << " diag=" << static_cast<uint32_t>(m_diag) << " P=" << m_poll << " F=" << m_final
       << " C=" << m_independent << " A=" << m_authentication << " D=" << m_demand
       << " M=" << m_multipoint << " mult=" << static_cast<uint32_t>(m_detectMult)
       << " my=" << m_myDiscriminator << " your=" << m_yourDiscriminator
       << " tx=" << m_desiredMinTxUs << "us rx=" << m_requiredMinRxUs
       << "us echo=" << m_requiredMinEchoRxUs << "us";
}

uint32_t
BfdHeader::GetSerializedSize() const
{
    return SERIALIZED_SIZE;
}

void
BfdHeader::Serialize(Buffer::Iterator start) const
{
    Buffer::Iterator i = start;
    // Vers (3 bits) | Diag (5 bits).
    i.WriteU8(static_cast<uint8_t>((VERSION << 5) | (m_diag & MAX_DIAG)));
    // Sta (2 bits) | P | F | C | A | D | M.
    uint8_t flags = static_cast<uint8_t>((m_state & 0x3) << 6);
    flags |= m_poll ? FLAG_P : 0;
    flags |= m_final ? FLAG_F : 0;
    flags |= m_independent ? FLAG_C : 0;
    flags |= m_authentication ? FLAG_A : 0;
    flags |= m_demand ? FLAG_D : 0;
    flags |= m_multipoint ? FLAG_M : 0;
    i.WriteU8(flags);
    i.WriteU8(m_detectMult);
    i.WriteU8(static_cast<uint8_t>(SERIALIZED_SIZE)); // Length
    i.WriteHtonU32(m_myDiscriminator);
    i.WriteHtonU32(m_yourDiscriminator);
    i.WriteHtonU32(m_desiredMinTxUs);
    i.WriteHtonU32(m_requiredMinRxUs);
    i.WriteHtonU32(m_requiredMinEchoRxUs);
}

uint32_t
BfdHeader::Deserialize(Buffer::Iterator start)
{
    return DeserializeBounded(start, start.GetRemainingSize());
}

uint32_t
BfdHeader::Deserialize(Buffer::Iterator start, Buffer::Iterator end)
{
    return DeserializeBounded(start,
                              std::min(start.GetRemainingSize(), end.GetDistanceFrom(start)));
}

uint32_t
BfdHeader::DeserializeBounded(Buffer::Iterator start, uint32_t available)
{
    // The Length field is 8 bits, so 255 bytes are enough to check it against the payload:
    // copy at most that much to the stack and let ParseFrom decide.
    uint8_t bytes[MAX_PARSE_LENGTH];
    uint32_t count = std::min(available, MAX_PARSE_LENGTH);
    start.Read(bytes, count);
    return ParseFrom(bytes, count, *this);
}

uint32_t
BfdHeader::ParseFrom(const uint8_t* data, uint32_t length, BfdHeader& out, std::string* error)
{
    if (length < SERIALIZED_SIZE)
    {
        SetError(error,
                 "short buffer: need " + std::to_string(SERIALIZED_SIZE) + " bytes, have " +
                     std::to_string(length));
        return 0;
    }
    uint32_t version = data[0] >> 5;
    if (version != VERSION)
    {
        SetError(error, "unsupported version " + std::to_string(version));
        return 0;
    }
    bool authentication = (data[1] & FLAG_A) != 0;
    uint32_t declared = data[3];
    uint32_t minimum = authentication ? MIN_LENGTH_WITH_AUTH : SERIALIZED_SIZE;
    if (declared < minimum)
    {
        SetError(error,
                 "length field " + std::to_string(declared) + " below minimum " +
                     std::to_string(minimum));
        return 0;
    }
    if (declared > length)
    {
        SetError(error,
                 "length field " + std::to_string(declared) + " exceeds the " +
                     std::to_string(length) + " bytes received");
        return 0;
    }
    if (data[2] == 0)
    {
        SetError(error, "detect mult 0");
        return 0;
    }
    if ((data[1] & FLAG_M) != 0)
    {
        SetError(error, "multipoint bit set");
        return 0;
    }
    uint32_t myDiscriminator = ReadU32(data + 4);
    if (myDiscriminator == 0)
    {
        SetError(error, "my discriminator 0");
        return 0;
    }
    if (authentication)
    {
        SetError(error, "authentication present but not supported");
        return 0;
    }

    out.m_diag = data[0] & MAX_DIAG;
    out.m_state = data[1] >> 6;
    out.m_poll = (data[1] & FLAG_P) != 0;
    out.m_final = (data[1] & FLAG_F) != 0;
    out.m_independent = (data[1] & FLAG_C) != 0;
    out.m_authentication = false;
    out.m_demand = (data[1] & FLAG_D) != 0;
    out.m_multipoint = false;
    out.m_detectMult = data[2];
    out.m_myDiscriminator = myDiscriminator;
    out.m_yourDiscriminator = ReadU32(data + 8);
    out.m_desiredMinTxUs = ReadU32(data + 12);
    out.m_requiredMinRxUs = ReadU32(data + 16);
    out.m_requiredMinEchoRxUs = ReadU32(data + 20);
    return declared;
}

uint32_t
BfdHeader::ToMicroseconds(Time interval, const char* field)
{
    int64_t us = interval.GetMicroSeconds();
    NS_ABORT_MSG_IF(interval.IsStrictlyNegative() || static_cast<uint64_t>(us) > MAX_INTERVAL_US,
                    "BFD " << field << " " << interval.As(Time::US)
                           << " does not fit in 32 bits of microseconds");
    return static_cast<uint32_t>(us);
}

void
BfdHeader::SetDiag(Diag diag)
{
    NS_ABORT_MSG_IF(static_cast<uint32_t>(diag) > MAX_DIAG,
                    "BFD diagnostic " << static_cast<uint32_t>(diag) << " does not fit in 5 bits");
    m_diag = diag;
}

BfdHeader::Diag
BfdHeader::GetDiag() const
{
    return static_cast<Diag>(m_diag);
}

void
BfdHeader::SetState(State state)
{
    m_state = static_cast<uint8_t>(state & 0x3);
}

BfdHeader::State
BfdHeader::GetState() const
{
    return static_cast<State>(m_state);
}

void
BfdHeader::SetPoll(bool poll)
{
    m_poll = poll;
}

bool
BfdHeader::GetPoll() const
{
    return m_poll;
}

void
BfdHeader::SetFinal(bool final)
{
    m_final = final;
}

bool
BfdHeader::GetFinal() const
{
    return m_final;
}

void
BfdHeader::SetControlPlaneIndependent(bool independent)
{
    m_independent = independent;
}

bool
BfdHeader::GetControlPlaneIndependent() const
{
    return m_independent;
}

void
BfdHeader::SetAuthenticationPresent(bool present)
{
    m_authentication = present;
}

bool
BfdHeader::GetAuthenticationPresent() const
{
    return m_authentication;
}

void
BfdHeader::SetDemand(bool demand)
{
    m_demand = demand;
}

bool
BfdHeader::GetDemand() const
{
    return m_demand;
}

void
BfdHeader::SetMultipoint(bool multipoint)
{
    m_multipoint = multipoint;
}

bool
BfdHeader::GetMultipoint() const
{
    return m_multipoint;
}

void
BfdHeader::SetDetectMult(uint8_t detectMult)
{
    m_detectMult = detectMult;
}

uint8_t
BfdHeader::GetDetectMult() const
{
    return m_detectMult;
}

void
BfdHeader::SetMyDiscriminator(uint32_t discriminator)
{
    m_myDiscriminator = discriminator;
}

uint32_t
BfdHeader::GetMyDiscriminator() const
{
    return m_myDiscriminator;
}

void
BfdHeader::SetYourDiscriminator(uint32_t discriminator)
{
    m_yourDiscriminator = discriminator;
}

uint32_t
BfdHeader::GetYourDiscriminator() const
{
    return m_yourDiscriminator;
}

void
BfdHeader::SetDesiredMinTxInterval(Time interval)
{
    m_desiredMinTxUs = ToMicroseconds(interval, "Desired Min TX Interval");
}

Time
BfdHeader::GetDesiredMinTxInterval() const
{
    return MicroSeconds(m_desiredMinTxUs);
}

void
BfdHeader::SetRequiredMinRxInterval(Time interval)
{
    m_requiredMinRxUs = ToMicroseconds(interval, "Required Min RX Interval");
}

Time
BfdHeader::GetRequiredMinRxInterval() const
{
    return MicroSeconds(m_requiredMinRxUs);
}

void
BfdHeader::SetRequiredMinEchoRxInterval(Time interval)
{
    m_requiredMinEchoRxUs = ToMicroseconds(interval, "Required Min Echo RX Interval");
}

Time
BfdHeader::GetRequiredMinEchoRxInterval() const
{
    return MicroSeconds(m_requiredMinEchoRxUs);
}

} // namespace ns3
