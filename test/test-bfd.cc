// Tests for BFD: BfdHeader (RFC 5880 section 4.1, golden bytes laid out by hand from the RFC
// figure, one comment per field; round trips; refusals per section 6.8.6) and BfdSession (RFC
// 5880 state machine and timers, RFC 7880 S-BFD), run as two sessions wired back to back through
// a transport that carries real bytes with a configurable one-way delay and can drop everything.
//
// Timing bounds used below, with d the one-way delay and every interval whole microseconds:
// - Bring-up (both started at 0): no packet leaves before one jittered slow-start interval, so
//   the first sender's first packet goes at f in [0.75 s, 1 s). The other end's first packet
//   goes at s <= f + d: its own Down if that was due first, or else its triggered Init at
//   exactly f + d. The first sender is Up at f + 2d (Down->Up if the other's first packet was
//   Init, else Down->Init->Up), the other at s + 2d (always Down->Init->Up). Every Up lies in
//   [0.75 s + 2d, 1 s + 3d].
// - Detection: the detection timer restarts on each accepted packet, so Down comes exactly one
//   Detection Time D after the last packet received. The link drops what is sent from t_drop on;
//   the remote's last delivered packet left at t_s in [t_drop - I, t_drop), I being the remote's
//   transmit interval (jittered gaps are below I), and arrived at t_s + d. Hence
//   t_down - t_drop lies in [D + d - I, D + d].

#include "bfd-header.h"
#include "bfd-session.h"
#include "header-round-trip.h"

#include "ns3/boolean.h"
#include "ns3/core-module.h"
#include "ns3/network-module.h"

#include <algorithm>
#include <cstdint>
#include <functional>
#include <gtest/gtest.h>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

using namespace ns3;

namespace
{

// RFC 5880 4.1: Up, diag 3, P and C set, Detect Mult 3, 50 ms / 100 ms, no echo.
// clang-format off
const std::vector<uint8_t> BFD_GOLDEN_UP_POLL{
    0x23,                   // Vers 1 (3 bits) | Diag 3 Neighbor Signaled Session Down (5 bits)
    0xe8,                   // Sta 3 Up (2 bits) | P 1 | F 0 | C 1 | A 0 | D 0 | M 0
    0x03,                   // Detect Mult 3
    0x18,                   // Length 24
    0x11, 0x22, 0x33, 0x44, // My Discriminator 0x11223344
    0x55, 0x66, 0x77, 0x88, // Your Discriminator 0x55667788
    0x00, 0x00, 0xc3, 0x50, // Desired Min TX Interval 50000 us (50 ms)
    0x00, 0x01, 0x86, 0xa0, // Required Min RX Interval 100000 us (100 ms)
    0x00, 0x00, 0x00, 0x00, // Required Min Echo RX Interval 0 (no echo)
};

// RFC 5880 4.1: Down, no diag, F and D set, Detect Mult 5, remote not yet known, 1 s slow start.
const std::vector<uint8_t> BFD_GOLDEN_DOWN_FINAL{
    0x20,                   // Vers 1 | Diag 0 No Diagnostic
    0x52,                   // Sta 1 Down | P 0 | F 1 | C 0 | A 0 | D 1 | M 0
    0x05,                   // Detect Mult 5
    0x18,                   // Length 24
    0x00, 0x00, 0x00, 0x01, // My Discriminator 1
    0x00, 0x00, 0x00, 0x00, // Your Discriminator 0 (remote unknown)
    0x00, 0x0f, 0x42, 0x40, // Desired Min TX Interval 1000000 us (1 s)
    0x00, 0x00, 0x4e, 0x20, // Required Min RX Interval 20000 us (20 ms)
    0x00, 0x00, 0xc3, 0x50, // Required Min Echo RX Interval 50000 us (50 ms)
};

// RFC 5880 4.1: AdminDown, diag 7, largest field values, Required Min RX 0.
const std::vector<uint8_t> BFD_GOLDEN_ADMIN_DOWN_EXTREMES{
    0x27,                   // Vers 1 | Diag 7 Administratively Down
    0x00,                   // Sta 0 AdminDown | no flags
    0xff,                   // Detect Mult 255
    0x18,                   // Length 24
    0xff, 0xff, 0xff, 0xff, // My Discriminator 0xFFFFFFFF
    0xff, 0xff, 0xff, 0xfe, // Your Discriminator 0xFFFFFFFE
    0xff, 0xff, 0xff, 0xff, // Desired Min TX Interval 2^32-1 us
    0x00, 0x00, 0x00, 0x00, // Required Min RX Interval 0 (send no periodic packets)
    0x00, 0x00, 0x00, 0x01, // Required Min Echo RX Interval 1 us
};

// clang-format on

/// The golden Up/Poll header, built through the API.
BfdHeader
MakeUpPoll()
{
    BfdHeader h;
    h.SetDiag(BfdHeader::NEIGHBOR_SIGNALED_DOWN);
    h.SetState(BfdHeader::UP);
    h.SetPoll(true);
    h.SetControlPlaneIndependent(true);
    h.SetDetectMult(3);
    h.SetMyDiscriminator(0x11223344);
    h.SetYourDiscriminator(0x55667788);
    h.SetDesiredMinTxInterval(MilliSeconds(50));
    h.SetRequiredMinRxInterval(MilliSeconds(100));
    h.SetRequiredMinEchoRxInterval(Time(0));
    return h;
}

/// First \p n bytes of \p bytes, in a vector of exactly that size.
std::vector<uint8_t>
Prefix(const std::vector<uint8_t>& bytes, size_t n)
{
    return std::vector<uint8_t>(bytes.begin(), bytes.begin() + n);
}

/// A packet holding exactly \p bytes.
Ptr<Packet>
PacketOf(const std::vector<uint8_t>& bytes)
{
    return Create<Packet>(bytes.data(), static_cast<uint32_t>(bytes.size()));
}

/// \return the header \p h as printed
std::string
Printed(const BfdHeader& h)
{
    std::ostringstream os;
    h.Print(os);
    return os.str();
}

} // namespace

// ---------------------------------------------------------------------------------------------
// BfdHeader: golden bytes
// ---------------------------------------------------------------------------------------------

TEST(BfdHeader, UpWithPollSerializesToRfcGoldenBytes)
{
    BfdHeader h = MakeUpPoll();

    EXPECT_EQ(SerializeHeader(h), BFD_GOLDEN_UP_POLL);
    EXPECT_EQ(h.GetSerializedSize(), 24u);
}

TEST(BfdHeader, DownWithFinalAndDemandSerializesToRfcGoldenBytes)
{
    BfdHeader h;
    h.SetState(BfdHeader::DOWN);
    h.SetFinal(true);
    h.SetDemand(true);
    h.SetDetectMult(5);
    h.SetMyDiscriminator(1);
    h.SetDesiredMinTxInterval(Seconds(1));
    h.SetRequiredMinRxInterval(MilliSeconds(20));
    h.SetRequiredMinEchoRxInterval(MilliSeconds(50));

    EXPECT_EQ(SerializeHeader(h), BFD_GOLDEN_DOWN_FINAL);
}

TEST(BfdHeader, AdminDownWithLargestFieldValuesSerializesToGoldenBytes)
{
    BfdHeader h;
    h.SetDiag(BfdHeader::ADMINISTRATIVELY_DOWN);
    h.SetState(BfdHeader::ADMIN_DOWN);
    h.SetDetectMult(255);
    h.SetMyDiscriminator(0xFFFFFFFF);
    h.SetYourDiscriminator(0xFFFFFFFE);
    h.SetDesiredMinTxInterval(MicroSeconds(0xFFFFFFFFLL));
    h.SetRequiredMinRxInterval(Time(0));
    h.SetRequiredMinEchoRxInterval(MicroSeconds(1));

    EXPECT_EQ(SerializeHeader(h), BFD_GOLDEN_ADMIN_DOWN_EXTREMES);
}

TEST(BfdHeader, DefaultIsVersionOneStateDownLengthTwentyFourAllElseZero)
{
    BfdHeader h;

    // clang-format off
    const std::vector<uint8_t> expected{
        0x20, 0x40, 0x00, 0x18, // Vers 1 | Diag 0, Sta 1 Down, Detect Mult 0, Length 24
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    };
    // clang-format on
    EXPECT_EQ(SerializeHeader(h), expected);
    EXPECT_EQ(h.GetState(), BfdHeader::DOWN);
    EXPECT_EQ(BfdHeader::UDP_PORT, 3784);
    EXPECT_EQ(BfdHeader::ECHO_PORT, 3785);
    EXPECT_EQ(BfdHeader::SBFD_PORT, 7784);
}

TEST(BfdHeader, ParseFromGoldenBytesRecoversEveryField)
{
    BfdHeader h;
    std::string error;

    uint32_t consumed =
        BfdHeader::ParseFrom(BFD_GOLDEN_UP_POLL.data(), BFD_GOLDEN_UP_POLL.size(), h, &error);

    EXPECT_EQ(consumed, 24u);
    EXPECT_EQ(error, "");
    EXPECT_EQ(h.GetDiag(), BfdHeader::NEIGHBOR_SIGNALED_DOWN);
    EXPECT_EQ(h.GetState(), BfdHeader::UP);
    EXPECT_TRUE(h.GetPoll());
    EXPECT_FALSE(h.GetFinal());
    EXPECT_TRUE(h.GetControlPlaneIndependent());
    EXPECT_FALSE(h.GetAuthenticationPresent());
    EXPECT_FALSE(h.GetDemand());
    EXPECT_FALSE(h.GetMultipoint());
    EXPECT_EQ(h.GetDetectMult(), 3);
    EXPECT_EQ(h.GetMyDiscriminator(), 0x11223344u);
    EXPECT_EQ(h.GetYourDiscriminator(), 0x55667788u);
    EXPECT_EQ(h.GetDesiredMinTxInterval(), MilliSeconds(50));
    EXPECT_EQ(h.GetRequiredMinRxInterval(), MilliSeconds(100));
    EXPECT_EQ(h.GetRequiredMinEchoRxInterval(), Time(0));
}

TEST(BfdHeader, ParseFromSecondGoldenRecoversFinalDemandAndEcho)
{
    BfdHeader h;

    ASSERT_EQ(BfdHeader::ParseFrom(BFD_GOLDEN_DOWN_FINAL.data(), BFD_GOLDEN_DOWN_FINAL.size(), h),
              24u);

    EXPECT_EQ(h.GetState(), BfdHeader::DOWN);
    EXPECT_EQ(h.GetDiag(), BfdHeader::NO_DIAGNOSTIC);
    EXPECT_FALSE(h.GetPoll());
    EXPECT_TRUE(h.GetFinal());
    EXPECT_TRUE(h.GetDemand());
    EXPECT_EQ(h.GetDetectMult(), 5);
    EXPECT_EQ(h.GetYourDiscriminator(), 0u);
    EXPECT_EQ(h.GetDesiredMinTxInterval(), Seconds(1));
    EXPECT_EQ(h.GetRequiredMinRxInterval(), MilliSeconds(20));
    EXPECT_EQ(h.GetRequiredMinEchoRxInterval(), MilliSeconds(50));
}

TEST(BfdHeader, PrintShowsEveryField)
{
    EXPECT_EQ(Printed(MakeUpPoll()),
              "BFD state=Up diag=3 P=1 F=0 C=1 A=0 D=0 M=0 mult=3 my=287454020 your=1432778632 "
              "tx=50000us rx=100000us echo=0us");
}

TEST(BfdHeader, IntervalsAreRoundedDownToWholeMicroseconds)
{
    BfdHeader h;
    h.SetDesiredMinTxInterval(NanoSeconds(1999));
    h.SetRequiredMinRxInterval(NanoSeconds(999));

    EXPECT_EQ(h.GetDesiredMinTxInterval(), MicroSeconds(1));
    EXPECT_EQ(h.GetRequiredMinRxInterval(), Time(0));
}

TEST(BfdHeaderDeathTest, IntervalAbove32BitsOfMicrosecondsAborts)
{
    BfdHeader h;
    EXPECT_DEATH(h.SetDesiredMinTxInterval(MicroSeconds(0x100000000LL)),
                 "does not fit in 32 bits of microseconds");
    EXPECT_DEATH(h.SetRequiredMinRxInterval(MicroSeconds(-1)),
                 "does not fit in 32 bits of microseconds");
}

TEST(BfdHeaderDeathTest, DiagAbove31Aborts)
{
    BfdHeader h;
    EXPECT_DEATH(h.SetDiag(static_cast<BfdHeader::Diag>(32)),
                 "BFD diagnostic 32 does not fit in 5 bits");
}

// ---------------------------------------------------------------------------------------------
// BfdHeader: round trips
// ---------------------------------------------------------------------------------------------

/// (Sta, Diag, flags as P=1 F=2 C=4 D=8)
class BfdHeaderRoundTrip : public ::testing::TestWithParam<std::tuple<uint8_t, uint8_t, uint8_t>>
{
};

TEST_P(BfdHeaderRoundTrip, StateDiagFlagsAndFieldsSurviveSerializeDeserializeSerialize)
{
    auto [state, diag, flags] = GetParam();
    BfdHeader h;
    h.SetState(static_cast<BfdHeader::State>(state));
    h.SetDiag(static_cast<BfdHeader::Diag>(diag));
    h.SetPoll(flags & 1);
    h.SetFinal(flags & 2);
    h.SetControlPlaneIndependent(flags & 4);
    h.SetDemand(flags & 8);
    h.SetDetectMult(static_cast<uint8_t>(1 + state * 60 + diag));
    h.SetMyDiscriminator(0x80000000u | (state << 8) | diag);
    h.SetYourDiscriminator(0x00010000u * (flags + 1));
    h.SetDesiredMinTxInterval(MicroSeconds(1000 * (diag + 1)));
    h.SetRequiredMinRxInterval(MicroSeconds(3 * (flags + 1)));
    h.SetRequiredMinEchoRxInterval(MicroSeconds(state));
    BfdHeader decoded;

    std::vector<uint8_t> bytes = CheckHeaderRoundTrip(h, &decoded);

    ASSERT_EQ(bytes.size(), 24u);
    EXPECT_EQ(bytes[0], 0x20 | diag);
    EXPECT_EQ(bytes[1],
              (state << 6) | ((flags & 1) << 5) | ((flags & 2) << 3) | ((flags & 4) << 1) |
                  ((flags & 8) >> 2));
    EXPECT_EQ(bytes[3], 24);
    EXPECT_EQ(decoded.GetState(), state);
    EXPECT_EQ(decoded.GetDiag(), diag);
    EXPECT_EQ(decoded.GetPoll(), (flags & 1) != 0);
    EXPECT_EQ(decoded.GetFinal(), (flags & 2) != 0);
    EXPECT_EQ(decoded.GetControlPlaneIndependent(), (flags & 4) != 0);
    EXPECT_EQ(decoded.GetDemand(), (flags & 8) != 0);
    EXPECT_EQ(decoded.GetDetectMult(), h.GetDetectMult());
    EXPECT_EQ(decoded.GetMyDiscriminator(), h.GetMyDiscriminator());
    EXPECT_EQ(decoded.GetYourDiscriminator(), h.GetYourDiscriminator());
    EXPECT_EQ(decoded.GetDesiredMinTxInterval(), h.GetDesiredMinTxInterval());
    EXPECT_EQ(decoded.GetRequiredMinRxInterval(), h.GetRequiredMinRxInterval());
    EXPECT_EQ(decoded.GetRequiredMinEchoRxInterval(), h.GetRequiredMinEchoRxInterval());
}

INSTANTIATE_TEST_SUITE_P(StateDiagFlags,
                         BfdHeaderRoundTrip,
                         ::testing::Combine(::testing::Values(0, 1, 2, 3),
                                            // 9 and 31: reserved codes are kept as received
                                            ::testing::Values(0, 1, 3, 7, 8, 9, 31),
                                            ::testing::Values(0, 1, 2, 4, 8, 13, 14)));

TEST(BfdHeader, RoundTripKeepsEachGoldenPacket)
{
    for (const auto* golden :
         {&BFD_GOLDEN_UP_POLL, &BFD_GOLDEN_DOWN_FINAL, &BFD_GOLDEN_ADMIN_DOWN_EXTREMES})
    {
        BfdHeader h;
        ASSERT_EQ(BfdHeader::ParseFrom(golden->data(), golden->size(), h), 24u);
        EXPECT_EQ(CheckHeaderRoundTrip(h), *golden);
    }
}

// ---------------------------------------------------------------------------------------------
// BfdHeader: refusals (RFC 5880 6.8.6)
// ---------------------------------------------------------------------------------------------

namespace
{

/// Parse \p bytes into a header pre-set to the golden Up/Poll packet.
/// \return the error, and expects a refusal that left the header unchanged
std::string
ExpectRefused(const std::vector<uint8_t>& bytes)
{
    BfdHeader h = MakeUpPoll();
    std::string before = Printed(h);
    std::string error;
    EXPECT_EQ(BfdHeader::ParseFrom(bytes.data(), bytes.size(), h, &error), 0u);
    EXPECT_EQ(Printed(h), before) << "a refused packet must leave the header unchanged";
    return error;
}

} // namespace

TEST(BfdHeader, ParseFromRefusesBuffersShorterThanTwentyFourBytes)
{
    for (size_t n = 0; n < 24; ++n)
    {
        SCOPED_TRACE("length " + std::to_string(n));
        EXPECT_EQ(ExpectRefused(Prefix(BFD_GOLDEN_UP_POLL, n)),
                  "short buffer: need 24 bytes, have " + std::to_string(n));
    }
    BfdHeader h;
    std::string error;
    EXPECT_EQ(BfdHeader::ParseFrom(nullptr, 0, h, &error), 0u);
    EXPECT_EQ(error, "short buffer: need 24 bytes, have 0");
}

TEST(BfdHeader, ParseFromRefusesEveryVersionButOne)
{
    for (uint8_t version : {0, 2, 3, 4, 5, 6, 7})
    {
        SCOPED_TRACE("version " + std::to_string(version));
        std::vector<uint8_t> bytes = BFD_GOLDEN_UP_POLL;
        bytes[0] = static_cast<uint8_t>((version << 5) | 3); // Vers | Diag 3

        EXPECT_EQ(ExpectRefused(bytes), "unsupported version " + std::to_string(version));
    }
}

TEST(BfdHeader, ParseFromRefusesLengthFieldBelowTwentyFour)
{
    for (uint8_t length : {0, 1, 23})
    {
        std::vector<uint8_t> bytes = BFD_GOLDEN_UP_POLL;
        bytes[3] = length;

        EXPECT_EQ(ExpectRefused(bytes),
                  "length field " + std::to_string(length) + " below minimum 24");
    }
}

TEST(BfdHeader, ParseFromRefusesLengthFieldBeyondTheBytesReceived)
{
    std::vector<uint8_t> bytes = BFD_GOLDEN_UP_POLL;
    bytes[3] = 25; // one byte more than the payload holds

    EXPECT_EQ(ExpectRefused(bytes), "length field 25 exceeds the 24 bytes received");
}

TEST(BfdHeader, ParseFromRefusesDetectMultZero)
{
    std::vector<uint8_t> bytes = BFD_GOLDEN_UP_POLL;
    bytes[2] = 0; // Detect Mult

    EXPECT_EQ(ExpectRefused(bytes), "detect mult 0");
}

TEST(BfdHeader, ParseFromRefusesMultipointBit)
{
    std::vector<uint8_t> bytes = BFD_GOLDEN_UP_POLL;
    bytes[1] |= 0x01; // M

    EXPECT_EQ(ExpectRefused(bytes), "multipoint bit set");
}

TEST(BfdHeader, ParseFromRefusesMyDiscriminatorZero)
{
    std::vector<uint8_t> bytes = BFD_GOLDEN_UP_POLL;
    std::fill(bytes.begin() + 4, bytes.begin() + 8, 0); // My Discriminator

    EXPECT_EQ(ExpectRefused(bytes), "my discriminator 0");
}

TEST(BfdHeader, ParseFromRefusesAuthenticationBitWhateverTheLength)
{
    std::vector<uint8_t> bytes = BFD_GOLDEN_UP_POLL;
    bytes[1] |= 0x04; // A, Length still 24
    EXPECT_EQ(ExpectRefused(bytes), "length field 24 below minimum 26");

    // A with a well-formed Simple Password section (Auth Type 1, Auth Len 3, Key ID 1, "x").
    bytes[3] = 28;
    bytes.insert(bytes.end(), {0x01, 0x04, 0x01, 'x'});
    EXPECT_EQ(ExpectRefused(bytes), "authentication present but not supported");
}

TEST(BfdHeader, ParseFromAcceptsLengthAboveTwentyFourAndConsumesIt)
{
    // Length 28, A clear: four bytes after the mandatory section belong to the BFD packet.
    std::vector<uint8_t> bytes = BFD_GOLDEN_UP_POLL;
    bytes[3] = 28;
    bytes.insert(bytes.end(), {0xaa, 0xbb, 0xcc, 0xdd, 0x01, 0x02, 0x03});
    BfdHeader h;

    EXPECT_EQ(BfdHeader::ParseFrom(bytes.data(), 28, h), 28u);

    Ptr<Packet> packet = PacketOf(bytes);
    EXPECT_EQ(packet->RemoveHeader(h), 28u);
    std::vector<uint8_t> rest(packet->GetSize());
    packet->CopyData(rest.data(), rest.size());
    EXPECT_EQ(rest, (std::vector<uint8_t>{0x01, 0x02, 0x03}));
    EXPECT_EQ(h.GetMyDiscriminator(), 0x11223344u);
}

TEST(BfdHeader, DeserializeRefusesTruncatedPacketWithoutReadingPastIt)
{
    Ptr<Packet> packet = PacketOf(Prefix(BFD_GOLDEN_UP_POLL, 20));
    BfdHeader h;

    EXPECT_EQ(packet->PeekHeader(h), 0u);
    EXPECT_EQ(Printed(h), Printed(BfdHeader()));
}

// ---------------------------------------------------------------------------------------------
// BfdSession: back-to-back harness
// ---------------------------------------------------------------------------------------------

namespace
{

/// Decode a packet the session sent (which must be valid).
BfdHeader
Decode(Ptr<const Packet> packet)
{
    std::vector<uint8_t> bytes(packet->GetSize());
    packet->CopyData(bytes.data(), bytes.size());
    BfdHeader h;
    EXPECT_EQ(BfdHeader::ParseFrom(bytes.data(), bytes.size(), h), 24u);
    return h;
}

/// One state change, as traced.
struct Change
{
    Time at;                //!< when
    BfdSession::State from; //!< old state
    BfdSession::State to;   //!< new state
    uint8_t diag;           //!< diag after the change

    bool operator==(const Change& o) const
    {
        return at == o.at && from == o.from && to == o.to && diag == o.diag;
    }
};

std::ostream&
operator<<(std::ostream& os, const Change& c)
{
    return os << c.at.As(Time::US) << " " << BfdSession::StateToString(c.from) << "->"
              << BfdSession::StateToString(c.to) << " diag " << static_cast<int>(c.diag);
}

/// Everything one session did, with times.
struct SessionLog
{
    std::vector<Change> changes;                     //!< "StateChanged"
    std::vector<std::pair<Time, BfdHeader>> tx;      //!< "Tx", decoded
    std::vector<Time> rx;                            //!< "Rx"
    std::vector<std::pair<Time, std::string>> drops; //!< "Drop"

    void Attach(Ptr<BfdSession> s)
    {
        s->TraceConnectWithoutContext(
            "StateChanged",
            Callback<void, BfdSession::State, BfdSession::State, uint8_t>(
                [this](BfdSession::State from, BfdSession::State to, uint8_t diag) {
                    changes.push_back({Simulator::Now(), from, to, diag});
                }));
        s->TraceConnectWithoutContext(
            "Tx",
            Callback<void, Ptr<const Packet>>(
                [this](Ptr<const Packet> p) { tx.emplace_back(Simulator::Now(), Decode(p)); }));
        s->TraceConnectWithoutContext("Rx",
                                      Callback<void, Ptr<const Packet>>([this](Ptr<const Packet>) {
                                          rx.push_back(Simulator::Now());
                                      }));
        s->TraceConnectWithoutContext("Drop",
                                      Callback<void, Ptr<const Packet>, const std::string&>(
                                          [this](Ptr<const Packet>, const std::string& reason) {
                                              drops.emplace_back(Simulator::Now(), reason);
                                          }));
    }

    /// \return the transitions (from, to) without times and diags
    std::vector<std::pair<BfdSession::State, BfdSession::State>> Transitions() const
    {
        std::vector<std::pair<BfdSession::State, BfdSession::State>> out;
        for (const Change& c : changes)
        {
            out.emplace_back(c.from, c.to);
        }
        return out;
    }

    /// \return time of the first change into \p state (or -1 s)
    Time FirstEntry(BfdSession::State state) const
    {
        for (const Change& c : changes)
        {
            if (c.to == state)
            {
                return c.at;
            }
        }
        return Seconds(-1);
    }

    /// \return times of the packets sent in [from, to)
    std::vector<Time> TxTimes(Time from, Time to) const
    {
        std::vector<Time> out;
        for (const auto& [at, h] : tx)
        {
            if (at >= from && at < to)
            {
                out.push_back(at);
            }
        }
        return out;
    }

    /// \return last Rx strictly before \p t (or -1 s)
    Time LastRxBefore(Time t) const
    {
        Time last = Seconds(-1);
        for (Time at : rx)
        {
            if (at < t)
            {
                last = at;
            }
        }
        return last;
    }
};

/// Two sessions back to back: real bytes, a one-way delay, and a drop-everything switch.
class Wire
{
  public:
    /// \param delay one-way delay in both directions
    explicit Wire(Time delay)
        : m_delay(delay)
    {
    }

    /// Connect \p a and \p b through this wire.
    void Connect(Ptr<BfdSession> a, Ptr<BfdSession> b)
    {
        m_a = a;
        m_b = b;
        a->SetSendCallback(MakeCallback(&Wire::FromA, this));
        b->SetSendCallback(MakeCallback(&Wire::FromB, this));
    }

    /// \param dropping true: every packet sent from now on is lost (in-flight ones arrive)
    void SetDropping(bool dropping)
    {
        m_dropping = dropping;
    }

    uint32_t dropped{0}; //!< packets lost to the switch

  private:
    void FromA(Ptr<Packet> p)
    {
        Carry(p, m_b);
    }

    void FromB(Ptr<Packet> p)
    {
        Carry(p, m_a);
    }

    void Carry(Ptr<Packet> p, Ptr<BfdSession> to)
    {
        if (m_dropping)
        {
            ++dropped;
            return;
        }
        std::vector<uint8_t> bytes(p->GetSize());
        p->CopyData(bytes.data(), bytes.size());
        Simulator::Schedule(m_delay, &Wire::Deliver, to, bytes);
    }

    static void Deliver(Ptr<BfdSession> to, std::vector<uint8_t> bytes)
    {
        to->Receive(PacketOf(bytes));
    }

    Time m_delay;
    bool m_dropping{false};
    Ptr<BfdSession> m_a;
    Ptr<BfdSession> m_b;
};

/// Session configuration for the tests.
struct SessionConfig
{
    uint32_t discriminator;
    Time desiredMinTx;
    Time requiredMinRx;
    uint8_t detectMult;
    bool jitter{true};
    Time requiredMinEchoRx{Time(0)};
};

const Time DELAY = MilliSeconds(5); //!< one-way delay of the wire

using S = BfdSession; //!< shorter state names in expectations

} // namespace

class BfdSessionTest : public ::testing::Test
{
  protected:
    void SetUp() override
    {
        RngSeedManager::SetSeed(1);
        RngSeedManager::SetRun(1);
    }

    void TearDown() override
    {
        Simulator::Destroy();
    }

    /// Create an ACTIVE session.
    Ptr<BfdSession> Make(const SessionConfig& c, int64_t stream)
    {
        Ptr<BfdSession> s = CreateObject<BfdSession>();
        s->SetAttribute("LocalDiscriminator", UintegerValue(c.discriminator));
        s->SetAttribute("DesiredMinTxInterval", TimeValue(c.desiredMinTx));
        s->SetAttribute("RequiredMinRxInterval", TimeValue(c.requiredMinRx));
        s->SetAttribute("DetectMult", UintegerValue(c.detectMult));
        s->SetAttribute("Jitter", BooleanValue(c.jitter));
        s->SetAttribute("RequiredMinEchoRxInterval", TimeValue(c.requiredMinEchoRx));
        s->AssignStreams(stream);
        m_sessions.push_back(s);
        return s;
    }

    /// Create A and B, wire them, attach the logs.
    void MakePair(const SessionConfig& a, const SessionConfig& b, int64_t stream = 0)
    {
        m_a = Make(a, stream);
        m_b = Make(b, stream + 1);
        m_wire.Connect(m_a, m_b);
        m_logA.Attach(m_a);
        m_logB.Attach(m_b);
    }

    /// Run the simulation until absolute time \p t.
    static void RunUntil(Time t)
    {
        Simulator::Stop(t - Simulator::Now());
        Simulator::Run();
    }

    /// Inject \p bytes into \p s at absolute time \p at.
    static void InjectAt(Time at, Ptr<BfdSession> s, const std::vector<uint8_t>& bytes)
    {
        Simulator::Schedule(at - Simulator::Now(), [s, bytes]() { s->Receive(PacketOf(bytes)); });
    }

    std::vector<Ptr<BfdSession>> m_sessions;
    Wire m_wire{DELAY};
    Ptr<BfdSession> m_a;
    Ptr<BfdSession> m_b;
    SessionLog m_logA;
    SessionLog m_logB;
};

const SessionConfig FAST_A{0x0A, MilliSeconds(50), MilliSeconds(100), 3}; //!< 50 ms / 100 ms x3
const SessionConfig SLOW_B{0x0B, MilliSeconds(300), MilliSeconds(20), 5}; //!< 300 ms / 20 ms x5

/// \return \p c with jitter off
SessionConfig
NoJitter(SessionConfig c)
{
    c.jitter = false;
    return c;
}

// ---------------------------------------------------------------------------------------------
// BfdSession: bring-up
// ---------------------------------------------------------------------------------------------

TEST_F(BfdSessionTest, SimultaneousStartWithoutJitterBothGoDownInitUpAtOneSecondPlusTwoDelays)
{
    MakePair(NoJitter(FAST_A), NoJitter(SLOW_B));
    m_a->Start();
    m_b->Start();

    RunUntil(Seconds(3));

    // Both send their first Down at exactly 1 s (slow start), cross, go Init at 1 s + d, and
    // go Up on the other's triggered Init at 1 s + 2d.
    std::vector<Change> expected{{Seconds(1) + DELAY, S::DOWN, S::INIT, 0},
                                 {Seconds(1) + 2 * DELAY, S::INIT, S::UP, 0}};
    EXPECT_EQ(m_logA.changes, expected);
    EXPECT_EQ(m_logB.changes, expected);
    EXPECT_EQ(m_a->GetState(), S::UP);
    EXPECT_EQ(m_a->GetRemoteDiscriminator(), 0x0Bu);
    EXPECT_EQ(m_b->GetRemoteDiscriminator(), 0x0Au);
    EXPECT_TRUE(m_logA.drops.empty());
    EXPECT_TRUE(m_logB.drops.empty());
}

TEST_F(BfdSessionTest, StaggeredStartFirstSenderGoesDownUpAndOtherDownInitUp)
{
    MakePair(NoJitter(FAST_A), NoJitter(SLOW_B));
    m_a->Start();
    Simulator::Schedule(MilliSeconds(500), &BfdSession::Start, m_b);

    RunUntil(Seconds(3));

    // A's first Down (1 s) reaches B before B's first packet (1.5 s): B Init at 1 s + d, A Up
    // on B's Init at 1 s + 2d, B Up on A's Up at 1 s + 3d.
    EXPECT_EQ(m_logA.changes, (std::vector<Change>{{Seconds(1) + 2 * DELAY, S::DOWN, S::UP, 0}}));
    EXPECT_EQ(m_logB.changes,
              (std::vector<Change>{{Seconds(1) + DELAY, S::DOWN, S::INIT, 0},
                                   {Seconds(1) + 3 * DELAY, S::INIT, S::UP, 0}}));
}

TEST_F(BfdSessionTest, NoPacketLeavesBeforeOneSlowStartIntervalAndWireCarriesAtLeastOneSecond)
{
    MakePair(FAST_A, SLOW_B, 7);
    m_a->Start();
    m_b->Start();

    RunUntil(MilliSeconds(700));
    EXPECT_TRUE(m_logA.tx.empty());
    EXPECT_EQ(m_a->GetTxInterval(), Seconds(1));
    EXPECT_EQ(m_a->GetAdvertisedDesiredMinTxInterval(), Seconds(1));

    RunUntil(Seconds(5));
    // RFC 5880 6.8.3: while not Up, Desired Min TX Interval on the wire is at least 1 s.
    for (const SessionLog* log : {&m_logA, &m_logB})
    {
        for (const auto& [at, h] : log->tx)
        {
            SCOPED_TRACE(at.As(Time::MS));
            if (h.GetState() != BfdHeader::UP)
            {
                EXPECT_GE(h.GetDesiredMinTxInterval(), Seconds(1));
            }
        }
    }
    EXPECT_EQ(m_logA.tx.back().second.GetDesiredMinTxInterval(), MilliSeconds(50));
    EXPECT_EQ(m_logB.tx.back().second.GetDesiredMinTxInterval(), MilliSeconds(300));
}

class BfdBringUpSeeds : public BfdSessionTest, public ::testing::WithParamInterface<int>
{
};

TEST_P(BfdBringUpSeeds, WithJitterUpTimesFollowFirstPacketTimesWithinAnalyticBounds)
{
    RngSeedManager::SetSeed(1 + GetParam());
    MakePair(FAST_A, SLOW_B, 10 * GetParam());
    m_a->Start();
    m_b->Start();

    RunUntil(Seconds(3));

    ASSERT_FALSE(m_logA.tx.empty());
    ASSERT_FALSE(m_logB.tx.empty());
    Time a = m_logA.tx.front().first;
    Time b = m_logB.tx.front().first;
    // The first packet waits one jittered slow-start interval: [0.75 s, 1 s).
    for (Time first : {a, b})
    {
        EXPECT_GE(first, MilliSeconds(750));
        EXPECT_LT(first, Seconds(1));
    }
    bool aFirst = a <= b;
    Time f = std::min(a, b);
    Time s = std::max(a, b);
    const SessionLog& firstLog = aFirst ? m_logA : m_logB;
    const SessionLog& secondLog = aFirst ? m_logB : m_logA;

    // The other end's first packet is its own Down (s <= f + d), or else its triggered Init at
    // exactly f + d: its jittered Down was due later and was rescheduled.
    EXPECT_LE(s, f + DELAY);
    BfdHeader::State secondFirstState = secondLog.tx.front().second.GetState();
    EXPECT_TRUE(secondFirstState == BfdHeader::DOWN ||
                (secondFirstState == BfdHeader::INIT && s == f + DELAY));
    EXPECT_EQ(firstLog.FirstEntry(S::UP), f + 2 * DELAY);
    EXPECT_EQ(secondLog.FirstEntry(S::UP), s + 2 * DELAY);
    using T = std::vector<std::pair<S::State, S::State>>;
    const T downInitUp{{S::DOWN, S::INIT}, {S::INIT, S::UP}};
    const T downUp{{S::DOWN, S::UP}};
    EXPECT_EQ(firstLog.Transitions(), secondFirstState == BfdHeader::INIT ? downUp : downInitUp);
    EXPECT_EQ(secondLog.Transitions(), downInitUp);
    for (const SessionLog* log : {&m_logA, &m_logB})
    {
        EXPECT_GE(log->FirstEntry(S::UP), MilliSeconds(750) + 2 * DELAY);
        EXPECT_LE(log->FirstEntry(S::UP), Seconds(1) + 3 * DELAY);
    }
}

INSTANTIATE_TEST_SUITE_P(Seeds, BfdBringUpSeeds, ::testing::Range(0, 20));

// ---------------------------------------------------------------------------------------------
// BfdSession: timer negotiation and the Poll Sequence
// ---------------------------------------------------------------------------------------------

TEST_F(BfdSessionTest, AsymmetricTimersNegotiateToRfcFormulas)
{
    MakePair(FAST_A, SLOW_B, 3);
    m_a->Start();
    m_b->Start();

    RunUntil(Seconds(5));

    ASSERT_EQ(m_a->GetState(), S::UP);
    ASSERT_EQ(m_b->GetState(), S::UP);
    // 6.8.2: transmit interval = max(local DesiredMinTx, remote RequiredMinRx).
    EXPECT_EQ(m_a->GetTxInterval(), MilliSeconds(50));  // max(50, 20)
    EXPECT_EQ(m_b->GetTxInterval(), MilliSeconds(300)); // max(300, 100)
    // 6.8.4: Detection Time = remote DetectMult x max(local RequiredMinRx, remote DesiredMinTx).
    EXPECT_EQ(m_a->GetDetectionTime(), MilliSeconds(1500)); // 5 x max(100, 300)
    EXPECT_EQ(m_b->GetDetectionTime(), MilliSeconds(150));  // 3 x max(20, 50)
    EXPECT_FALSE(m_a->IsPollActive());
    EXPECT_FALSE(m_b->IsPollActive());
    // Steady state: A's jittered gaps lie in [0.75, 1] x 50 ms.
    std::vector<Time> times = m_logA.TxTimes(Seconds(3), Seconds(5));
    ASSERT_GT(times.size(), 30u);
    for (size_t i = 1; i < times.size(); ++i)
    {
        EXPECT_GE(times[i] - times[i - 1], MicroSeconds(37500));
        EXPECT_LE(times[i] - times[i - 1], MilliSeconds(50));
    }
}

TEST_F(BfdSessionTest, GoingUpStartsPollSequenceAnsweredByFinalThenFastTimersWithoutPoll)
{
    MakePair(NoJitter(FAST_A), NoJitter(SLOW_B));
    m_a->Start();
    m_b->Start();

    RunUntil(Seconds(3));

    // Both Up at 1 s + 2d (simultaneous start). A's triggered Up packet carries P and the new
    // Desired Min TX Interval; B answers it at once (arrival + 0) with F and without P.
    const Time up = Seconds(1) + 2 * DELAY;
    auto firstUp = std::find_if(m_logA.tx.begin(), m_logA.tx.end(), [](const auto& e) {
        return e.second.GetState() == BfdHeader::UP;
    });
    ASSERT_NE(firstUp, m_logA.tx.end());
    EXPECT_EQ(firstUp->first, up);
    EXPECT_TRUE(firstUp->second.GetPoll());
    EXPECT_EQ(firstUp->second.GetDesiredMinTxInterval(), MilliSeconds(50));
    auto finalFromB = std::find_if(m_logB.tx.begin(), m_logB.tx.end(), [](const auto& e) {
        return e.second.GetFinal();
    });
    ASSERT_NE(finalFromB, m_logB.tx.end());
    EXPECT_EQ(finalFromB->first, up + DELAY);
    EXPECT_FALSE(finalFromB->second.GetPoll());
    // Never P and F together (6.8.7); once the Final is back, A stops polling.
    for (const SessionLog* log : {&m_logA, &m_logB})
    {
        for (const auto& [at, h] : log->tx)
        {
            EXPECT_FALSE(h.GetPoll() && h.GetFinal()) << at.As(Time::MS);
        }
    }
    for (const auto& [at, h] : m_logA.tx)
    {
        if (at > up + 2 * DELAY)
        {
            EXPECT_FALSE(h.GetPoll()) << at.As(Time::MS);
        }
    }
    EXPECT_FALSE(m_a->IsPollActive());
    EXPECT_FALSE(m_b->IsPollActive());
    // Jitter off: A's steady-state gaps are exactly 50 ms.
    std::vector<Time> times = m_logA.TxTimes(Seconds(2), Seconds(3));
    for (size_t i = 1; i < times.size(); ++i)
    {
        EXPECT_EQ(times[i] - times[i - 1], MilliSeconds(50));
    }
}

TEST_F(BfdSessionTest, LargerDesiredMinTxWhileUpAppliesOnlyWhenTheFinalArrives)
{
    MakePair(NoJitter(FAST_A), NoJitter(SLOW_B));
    m_a->Start();
    m_b->Start();
    RunUntil(Seconds(3));
    ASSERT_EQ(m_a->GetTxInterval(), MilliSeconds(50));

    m_a->SetTimers(MilliSeconds(200), MilliSeconds(100));

    // 6.8.3: the transmit interval does not grow before the Poll Sequence ends.
    EXPECT_TRUE(m_a->IsPollActive());
    EXPECT_EQ(m_a->GetTxInterval(), MilliSeconds(50));
    EXPECT_EQ(m_a->GetAdvertisedDesiredMinTxInterval(), MilliSeconds(200));
    size_t before = m_logA.tx.size();
    // A went Up at 1 s + 2d and sends every 50 ms from then: the next packet is at 3.01 s.
    const Time next = Seconds(1) + 2 * DELAY + 40 * MilliSeconds(50);
    RunUntil(next + 2 * DELAY + MicroSeconds(1));
    // That periodic packet (no extra packet is sent) polls with the new value; B's Final
    // comes back 2d later.
    ASSERT_EQ(m_logA.tx.size(), before + 1);
    EXPECT_EQ(m_logA.tx.back().first, next);
    EXPECT_TRUE(m_logA.tx.back().second.GetPoll());
    EXPECT_EQ(m_logA.tx.back().second.GetDesiredMinTxInterval(), MilliSeconds(200));
    EXPECT_FALSE(m_a->IsPollActive());
    EXPECT_EQ(m_a->GetTxInterval(), MilliSeconds(200));
    EXPECT_EQ(m_b->GetDetectionTime(), MilliSeconds(600)); // 3 x max(20, 200)
    RunUntil(Seconds(5));
    EXPECT_EQ(m_a->GetState(), S::UP);
    EXPECT_EQ(m_b->GetState(), S::UP);
    std::vector<Time> times = m_logA.TxTimes(Seconds(4), Seconds(5));
    for (size_t i = 1; i < times.size(); ++i)
    {
        EXPECT_EQ(times[i] - times[i - 1], MilliSeconds(200));
    }
}

TEST_F(BfdSessionTest, SmallerRequiredMinRxWhileUpKeepsOldDetectionTimeUntilTheFinal)
{
    SessionConfig b = NoJitter(SLOW_B);
    b.desiredMinTx = MilliSeconds(20); // so that A's RequiredMinRx decides A's Detection Time
    MakePair(NoJitter(FAST_A), b);
    m_a->Start();
    m_b->Start();
    RunUntil(Seconds(3));
    ASSERT_EQ(m_a->GetDetectionTime(), MilliSeconds(500)); // 5 x max(100, 20)

    m_a->SetTimers(MilliSeconds(50), MilliSeconds(10));

    EXPECT_TRUE(m_a->IsPollActive());
    EXPECT_EQ(m_a->GetDetectionTime(), MilliSeconds(500));
    const Time next = Seconds(1) + 2 * DELAY + 40 * MilliSeconds(50); // A's next packet
    RunUntil(next + 2 * DELAY - MicroSeconds(1));
    EXPECT_TRUE(m_a->IsPollActive());
    EXPECT_EQ(m_a->GetDetectionTime(), MilliSeconds(500));
    RunUntil(next + 2 * DELAY + MicroSeconds(1));
    EXPECT_FALSE(m_a->IsPollActive());
    EXPECT_EQ(m_a->GetDetectionTime(), MilliSeconds(100)); // 5 x max(10, 20)
    EXPECT_EQ(m_b->GetTxInterval(), MilliSeconds(20));     // max(20, 10)
    RunUntil(Seconds(4));
    // B's interval shrank from 100 ms to 20 ms when A's poll arrived (next + d): its pending
    // transmission, due up to 100 ms later, was moved to one new interval from then.
    std::vector<Time> times = m_logB.TxTimes(next + DELAY + MicroSeconds(1), Seconds(4));
    ASSERT_GT(times.size(), 40u);
    EXPECT_EQ(times.front(), next + DELAY + MilliSeconds(20));
    for (size_t i = 1; i < times.size(); ++i)
    {
        EXPECT_EQ(times[i] - times[i - 1], MilliSeconds(20));
    }
    EXPECT_EQ(m_a->GetState(), S::UP);
    EXPECT_EQ(m_logA.changes.size(), 2u);
}

// ---------------------------------------------------------------------------------------------
// BfdSession: detection, jitter
// ---------------------------------------------------------------------------------------------

class BfdDetectionSeeds : public BfdSessionTest, public ::testing::WithParamInterface<int>
{
};

TEST_P(BfdDetectionSeeds, LinkDropsAtRandomInstantBothDeclareDownWithDiagOneWithinBound)
{
    RngSeedManager::SetSeed(100 + GetParam());
    MakePair(FAST_A, SLOW_B, 10 * GetParam());
    Ptr<UniformRandomVariable> when = CreateObject<UniformRandomVariable>();
    when->SetStream(1000 + GetParam());
    Time drop = Seconds(3) + MicroSeconds(when->GetInteger(0, 2000000));
    m_a->Start();
    m_b->Start();
    Simulator::Schedule(drop, &Wire::SetDropping, &m_wire, true);

    RunUntil(drop + Seconds(5));

    struct End
    {
        const SessionLog& log;
        Ptr<BfdSession> session;
        Time detection; // own Detection Time
        Time remoteTx;  // remote's transmit interval
    };

    for (const End& e : {End{m_logA, m_a, MilliSeconds(1500), MilliSeconds(300)},
                         End{m_logB, m_b, MilliSeconds(150), MilliSeconds(50)}})
    {
        SCOPED_TRACE("discriminator " + std::to_string(e.session->GetLocalDiscriminator()));
        ASSERT_FALSE(e.log.changes.empty());
        const Change& down = e.log.changes.back();
        EXPECT_EQ(down.from, S::UP);
        EXPECT_EQ(down.to, S::DOWN);
        EXPECT_EQ(down.diag, BfdHeader::CONTROL_DETECTION_TIME_EXPIRED);
        EXPECT_EQ(e.session->GetLocalDiag(), BfdHeader::CONTROL_DETECTION_TIME_EXPIRED);
        // Exactly one Detection Time after the last packet received...
        EXPECT_EQ(down.at - e.log.LastRxBefore(down.at), e.detection);
        // ... hence within [D + d - I_remote, D + d] of the moment the link failed.
        EXPECT_GE(down.at - drop, e.detection + DELAY - e.remoteTx);
        EXPECT_LE(down.at - drop, e.detection + DELAY);
        EXPECT_EQ(e.session->GetRemoteDiscriminator(), 0u); // 6.8.1: forgotten
        EXPECT_EQ(e.session->GetState(), S::DOWN);
    }
    // Down once, nothing after (the link stays dead).
    for (const SessionLog* log : {&m_logA, &m_logB})
    {
        EXPECT_EQ(std::count_if(log->changes.begin(),
                                log->changes.end(),
                                [](const Change& c) { return c.to == S::DOWN; }),
                  1);
    }
}

INSTANTIATE_TEST_SUITE_P(Seeds, BfdDetectionSeeds, ::testing::Range(0, 10));

/// (seed, DetectMult)
class BfdJitterSeeds : public BfdSessionTest,
                       public ::testing::WithParamInterface<std::tuple<int, int>>
{
};

TEST_P(BfdJitterSeeds, EveryTransmitGapLiesInRfcJitterRange)
{
    auto [seed, mult] = GetParam();
    RngSeedManager::SetSeed(500 + seed);
    SessionConfig a{0x0A, MilliSeconds(100), MilliSeconds(100), static_cast<uint8_t>(mult)};
    SessionConfig b{0x0B, MilliSeconds(100), MilliSeconds(100), static_cast<uint8_t>(mult)};
    MakePair(a, b, 10 * seed);
    m_a->Start();
    m_b->Start();

    RunUntil(Seconds(12));

    ASSERT_EQ(m_a->GetState(), S::UP);
    ASSERT_EQ(m_b->GetState(), S::UP);
    // 6.8.7: interval reduced by 0-25%; with DetectMult 1, between 75% and 90%.
    const int64_t intervalNs = MilliSeconds(100).GetNanoSeconds();
    const int64_t highTenths = (mult == 1) ? 9 : 10;
    for (const SessionLog* log : {&m_logA, &m_logB})
    {
        // Steady state: both Up and both Poll Sequences over well before 2 s.
        std::vector<Time> times = log->TxTimes(Seconds(2), Seconds(12));
        ASSERT_GT(times.size(), 90u);
        int64_t lowest = intervalNs;
        int64_t highest = 0;
        for (size_t i = 1; i < times.size(); ++i)
        {
            int64_t gap = (times[i] - times[i - 1]).GetNanoSeconds();
            EXPECT_GE(4 * gap, 3 * intervalNs) << "gap " << gap << " ns";
            EXPECT_LE(10 * gap, highTenths * intervalNs) << "gap " << gap << " ns";
            lowest = std::min(lowest, gap);
            highest = std::max(highest, gap);
        }
        // The jitter really varies: over ~100 gaps the extremes approach the range ends.
        EXPECT_LT(20 * lowest, 16 * intervalNs);                      // below 0.80
        EXPECT_GT(100 * highest, (10 * highTenths - 5) * intervalNs); // above 0.95 / 0.85
    }
}

INSTANTIATE_TEST_SUITE_P(SeedsAndMult,
                         BfdJitterSeeds,
                         ::testing::Combine(::testing::Range(0, 50), ::testing::Values(3, 1)));

// ---------------------------------------------------------------------------------------------
// BfdSession: Down signalled by the neighbor, AdminDown
// ---------------------------------------------------------------------------------------------

TEST_F(BfdSessionTest, NeighborAdminDownTakesUpSessionDownWithDiagThreeAndStartBringsBothBack)
{
    MakePair(NoJitter(FAST_A), NoJitter(SLOW_B));
    m_a->Start();
    m_b->Start();
    RunUntil(Seconds(3));
    m_logA.changes.clear();
    m_logB.changes.clear();

    m_b->AdminDown();
    RunUntil(Seconds(6));

    EXPECT_EQ(m_logB.changes, (std::vector<Change>{{Seconds(3), S::UP, S::ADMIN_DOWN, 7}}));
    EXPECT_EQ(m_logA.changes, (std::vector<Change>{{Seconds(3) + DELAY, S::UP, S::DOWN, 3}}));
    EXPECT_EQ(m_a->GetLocalDiag(), BfdHeader::NEIGHBOR_SIGNALED_DOWN);
    // B discards A's packets while AdminDown, and A keeps accepting B's AdminDown packets.
    ASSERT_FALSE(m_logB.drops.empty());
    for (const auto& [at, reason] : m_logB.drops)
    {
        EXPECT_EQ(reason, BfdSession::DROP_ADMIN_DOWN);
    }
    EXPECT_TRUE(m_logA.drops.empty());
    for (const auto& [at, h] : m_logB.tx)
    {
        if (at >= Seconds(3))
        {
            EXPECT_EQ(h.GetState(), BfdHeader::ADMIN_DOWN);
            EXPECT_EQ(h.GetDiag(), BfdHeader::ADMINISTRATIVELY_DOWN);
            EXPECT_EQ(h.GetDesiredMinTxInterval(), Seconds(1));
        }
    }

    m_logA.changes.clear();
    m_logB.changes.clear();
    // Half-way between A's periodic Down packets (3.005 s + k s), so that nothing crosses.
    const Time restart = MilliSeconds(6500);
    RunUntil(restart);
    m_b->Start();
    RunUntil(Seconds(8));

    // B sends Down at once; A (Down) goes Init, B goes Up on A's Init, A Up on B's Up.
    EXPECT_EQ(m_logB.changes,
              (std::vector<Change>{{restart, S::ADMIN_DOWN, S::DOWN, 0},
                                   {restart + 2 * DELAY, S::DOWN, S::UP, 0}}));
    EXPECT_EQ(m_logA.changes,
              (std::vector<Change>{{restart + DELAY, S::DOWN, S::INIT, 0},
                                   {restart + 3 * DELAY, S::INIT, S::UP, 0}}));
}

TEST_F(BfdSessionTest, UpSessionReceivingDownFromNeighborGoesDownWithDiagThree)
{
    MakePair(NoJitter(FAST_A), NoJitter(SLOW_B));
    m_a->Start();
    m_b->Start();
    RunUntil(Seconds(3));
    BfdHeader down;
    down.SetState(BfdHeader::DOWN);
    down.SetDiag(BfdHeader::PATH_DOWN);
    down.SetDetectMult(5);
    down.SetMyDiscriminator(0x0B);
    down.SetYourDiscriminator(0x0A);
    down.SetDesiredMinTxInterval(Seconds(1));
    down.SetRequiredMinRxInterval(MilliSeconds(20));

    InjectAt(Seconds(3), m_a, SerializeHeader(down));
    RunUntil(Seconds(3) + MicroSeconds(1));

    EXPECT_EQ(m_logA.changes.back(), (Change{Seconds(3), S::UP, S::DOWN, 3}));
    EXPECT_EQ(m_a->GetRemoteState(), S::DOWN);
}

TEST_F(BfdSessionTest, LocalAdminDownSendsAdminDownPacketsDiscardsInputAndNeverTimesOut)
{
    MakePair(NoJitter(FAST_A), NoJitter(SLOW_B));
    m_a->Start();
    m_b->Start();
    RunUntil(Seconds(3));
    size_t rxBefore = m_logA.rx.size();

    m_a->AdminDown();
    RunUntil(Seconds(13));

    EXPECT_EQ(m_a->GetState(), S::ADMIN_DOWN);
    EXPECT_EQ(m_a->GetLocalDiag(), BfdHeader::ADMINISTRATIVELY_DOWN);
    EXPECT_EQ(m_logA.changes.back(), (Change{Seconds(3), S::UP, S::ADMIN_DOWN, 7}));
    EXPECT_EQ(m_logB.changes.back(), (Change{Seconds(3) + DELAY, S::UP, S::DOWN, 3}));
    EXPECT_EQ(m_logA.rx.size(), rxBefore) << "AdminDown discards every received packet";
    ASSERT_FALSE(m_logA.drops.empty());
    EXPECT_EQ(m_logA.drops.back().second, BfdSession::DROP_ADMIN_DOWN);
    // An AdminDown packet at once, then one per second (slow start, jitter off).
    std::vector<Time> times = m_logA.TxTimes(Seconds(3), Seconds(13));
    ASSERT_EQ(times.size(), 10u);
    for (size_t i = 0; i < times.size(); ++i)
    {
        EXPECT_EQ(times[i], Seconds(3 + i));
    }
}

// ---------------------------------------------------------------------------------------------
// BfdSession: reception checks
// ---------------------------------------------------------------------------------------------

namespace
{

/// A valid Down packet from B (0x0B) to A (0x0A): accepted, it would take A down.
BfdHeader
DownFromB()
{
    BfdHeader h;
    h.SetState(BfdHeader::DOWN);
    h.SetDetectMult(5);
    h.SetMyDiscriminator(0x0B);
    h.SetYourDiscriminator(0x0A);
    h.SetDesiredMinTxInterval(Seconds(1));
    h.SetRequiredMinRxInterval(MilliSeconds(20));
    return h;
}

/// One bad packet and the reason it must be refused with.
struct BadPacket
{
    std::string name;
    std::function<std::vector<uint8_t>()> bytes;
    std::string reason;
};

std::ostream&
operator<<(std::ostream& os, const BadPacket& b)
{
    return os << b.name;
}

std::vector<uint8_t>
Mutated(const std::function<void(BfdHeader&)>& change)
{
    BfdHeader h = DownFromB();
    change(h);
    return SerializeHeader(h);
}

const std::vector<BadPacket> BAD_PACKETS{
    {"Version2",
     [] {
         std::vector<uint8_t> b = SerializeHeader(DownFromB());
         b[0] = static_cast<uint8_t>((2 << 5) | (b[0] & 0x1f));
         return b;
     },
     "unsupported version 2"},
    {"DetectMultZero",
     [] { return Mutated([](BfdHeader& h) { h.SetDetectMult(0); }); },
     "detect mult 0"},
    {"MyDiscriminatorZero",
     [] { return Mutated([](BfdHeader& h) { h.SetMyDiscriminator(0); }); },
     "my discriminator 0"},
    {"YourDiscriminatorMismatch",
     [] { return Mutated([](BfdHeader& h) { h.SetYourDiscriminator(0x99); }); },
     BfdSession::DROP_DISCRIMINATOR_MISMATCH},
    {"YourDiscriminatorZeroWithStateUp",
     [] {
         return Mutated([](BfdHeader& h) {
             h.SetYourDiscriminator(0);
             h.SetState(BfdHeader::UP);
         });
     },
     BfdSession::DROP_ZERO_DISCRIMINATOR},
    {"YourDiscriminatorZeroWithStateInit",
     [] {
         return Mutated([](BfdHeader& h) {
             h.SetYourDiscriminator(0);
             h.SetState(BfdHeader::INIT);
         });
     },
     BfdSession::DROP_ZERO_DISCRIMINATOR},
    {"AuthenticationBit",
     [] { return Mutated([](BfdHeader& h) { h.SetAuthenticationPresent(true); }); },
     "length field 24 below minimum 26"},
    {"MultipointBit",
     [] { return Mutated([](BfdHeader& h) { h.SetMultipoint(true); }); },
     "multipoint bit set"},
    {"LengthBeyondPayload",
     [] {
         std::vector<uint8_t> b = SerializeHeader(DownFromB());
         b[3] = 25;
         return b;
     },
     "length field 25 exceeds the 24 bytes received"},
    {"Truncated",
     [] { return Prefix(SerializeHeader(DownFromB()), 23); },
     "short buffer: need 24 bytes, have 23"},
};

} // namespace

class BfdReceptionChecks : public BfdSessionTest, public ::testing::WithParamInterface<BadPacket>
{
};

TEST_P(BfdReceptionChecks, UpSessionRefusesBadPacketWithDropTraceAndNoStateChange)
{
    MakePair(NoJitter(FAST_A), NoJitter(SLOW_B));
    m_a->Start();
    m_b->Start();
    RunUntil(Seconds(3));
    ASSERT_EQ(m_a->GetState(), S::UP);
    size_t changes = m_logA.changes.size();
    size_t rx = m_logA.rx.size();
    Time detection = m_a->GetDetectionTime();

    InjectAt(Seconds(3), m_a, GetParam().bytes());
    RunUntil(Seconds(3) + MicroSeconds(1));

    ASSERT_EQ(m_logA.drops.size(), 1u);
    EXPECT_EQ(m_logA.drops[0], std::make_pair(Seconds(3), GetParam().reason));
    EXPECT_EQ(m_logA.changes.size(), changes);
    EXPECT_EQ(m_logA.rx.size(), rx);
    EXPECT_EQ(m_a->GetState(), S::UP);
    EXPECT_EQ(m_a->GetRemoteDiscriminator(), 0x0Bu);
    EXPECT_EQ(m_a->GetDetectionTime(), detection);
    RunUntil(Seconds(4));
    EXPECT_EQ(m_a->GetState(), S::UP);
}

INSTANTIATE_TEST_SUITE_P(Bad,
                         BfdReceptionChecks,
                         ::testing::ValuesIn(BAD_PACKETS),
                         [](const auto& info) { return info.param.name; });

TEST_F(BfdSessionTest, ControlForReceptionChecksTheUnmodifiedPacketIsAccepted)
{
    MakePair(NoJitter(FAST_A), NoJitter(SLOW_B));
    m_a->Start();
    m_b->Start();
    RunUntil(Seconds(3));

    InjectAt(Seconds(3), m_a, SerializeHeader(DownFromB()));
    RunUntil(Seconds(3) + MicroSeconds(1));

    EXPECT_TRUE(m_logA.drops.empty());
    EXPECT_EQ(m_logA.changes.back(), (Change{Seconds(3), S::UP, S::DOWN, 3}));
}

TEST_F(BfdSessionTest, DownSessionAcceptsYourDiscriminatorZeroWithStateDown)
{
    MakePair(NoJitter(FAST_A), NoJitter(SLOW_B));
    m_a->Start();
    BfdHeader h = DownFromB();
    h.SetYourDiscriminator(0);

    InjectAt(MilliSeconds(10), m_a, SerializeHeader(h));
    RunUntil(MilliSeconds(11));

    EXPECT_TRUE(m_logA.drops.empty());
    EXPECT_EQ(m_logA.changes, (std::vector<Change>{{MilliSeconds(10), S::DOWN, S::INIT, 0}}));
    EXPECT_EQ(m_a->GetRemoteDiscriminator(), 0x0Bu);
}

TEST_F(BfdSessionTest, PacketBeforeStartIsDroppedAsNotStarted)
{
    MakePair(FAST_A, SLOW_B);

    m_a->Receive(PacketOf(SerializeHeader(DownFromB())));

    ASSERT_EQ(m_logA.drops.size(), 1u);
    EXPECT_EQ(m_logA.drops[0].second, BfdSession::DROP_NOT_STARTED);
    EXPECT_TRUE(m_logA.changes.empty());
}

// ---------------------------------------------------------------------------------------------
// BfdSession: echo
// ---------------------------------------------------------------------------------------------

TEST_F(BfdSessionTest, EchoIsActiveOnlyWhenUpAndBothEndsAdvertiseEchoRx)
{
    SessionConfig a = NoJitter(FAST_A);
    a.requiredMinEchoRx = MilliSeconds(70);
    SessionConfig b = NoJitter(SLOW_B);
    b.requiredMinEchoRx = MilliSeconds(20);
    MakePair(a, b);
    m_a->Start();
    m_b->Start();
    RunUntil(MilliSeconds(500));
    EXPECT_FALSE(m_a->IsEchoActive()); // not Up yet
    EXPECT_EQ(m_a->GetEchoInterval(), Time(0));

    RunUntil(Seconds(3));

    EXPECT_TRUE(m_a->IsEchoActive());
    EXPECT_TRUE(m_b->IsEchoActive());
    EXPECT_EQ(m_a->GetEchoInterval(), MilliSeconds(50));  // max(50, 20)
    EXPECT_EQ(m_b->GetEchoInterval(), MilliSeconds(300)); // max(300, 70)
    EXPECT_EQ(m_logA.tx.back().second.GetRequiredMinEchoRxInterval(), MilliSeconds(70));
}

TEST_F(BfdSessionTest, EchoIsInactiveWhenOneEndAdvertisesZero)
{
    SessionConfig a = NoJitter(FAST_A);
    a.requiredMinEchoRx = MilliSeconds(70);
    MakePair(a, NoJitter(SLOW_B));
    m_a->Start();
    m_b->Start();

    RunUntil(Seconds(3));

    ASSERT_EQ(m_a->GetState(), S::UP);
    EXPECT_FALSE(m_a->IsEchoActive());
    EXPECT_FALSE(m_b->IsEchoActive());
    EXPECT_EQ(m_a->GetEchoInterval(), Time(0));
}

// ---------------------------------------------------------------------------------------------
// BfdSession: seamless BFD (RFC 7880)
// ---------------------------------------------------------------------------------------------

class SbfdTest : public BfdSessionTest
{
  protected:
    static constexpr uint32_t REFLECTOR_DISCRIMINATOR = 0x5000; //!< well-known S-BFD discr

    void MakeSbfd(bool jitter)
    {
        m_a = CreateObject<BfdSession>();
        m_a->SetAttribute("Role", EnumValue(BfdSession::SBFD_INITIATOR));
        m_a->SetAttribute("LocalDiscriminator", UintegerValue(0x1001));
        m_a->SetAttribute("ReflectorDiscriminator", UintegerValue(REFLECTOR_DISCRIMINATOR));
        m_a->SetAttribute("DesiredMinTxInterval", TimeValue(MilliSeconds(50)));
        m_a->SetAttribute("DetectMult", UintegerValue(3));
        m_a->SetAttribute("Jitter", BooleanValue(jitter));
        m_a->AssignStreams(40);
        m_b = CreateObject<BfdSession>();
        m_b->SetAttribute("Role", EnumValue(BfdSession::SBFD_REFLECTOR));
        m_b->SetAttribute("LocalDiscriminator", UintegerValue(REFLECTOR_DISCRIMINATOR));
        m_b->SetAttribute("RequiredMinRxInterval", TimeValue(MilliSeconds(10)));
        m_sessions = {m_a, m_b};
        m_wire.Connect(m_a, m_b);
        m_logA.Attach(m_a);
        m_logB.Attach(m_b);
    }
};

TEST_F(SbfdTest, InitiatorGoesUpOnFirstReflectedReplyAndDownAfterDetectMultMissedReplies)
{
    MakeSbfd(false);
    m_a->Start();
    m_b->Start();
    Time drop = Seconds(3) + MicroSeconds(12345);
    Simulator::Schedule(drop, &Wire::SetDropping, &m_wire, true);

    RunUntil(Seconds(5));

    // First request at 1 s (slow start), reply at 1 s + d, Up at 1 s + 2d: no Init.
    ASSERT_EQ(m_logA.changes.size(), 2u);
    EXPECT_EQ(m_logA.changes[0], (Change{Seconds(1) + 2 * DELAY, S::DOWN, S::UP, 0}));
    EXPECT_EQ(m_logB.changes, (std::vector<Change>{{Seconds(0), S::DOWN, S::UP, 0}}));
    // The reflector answers each request at once, discriminators swapped.
    ASSERT_FALSE(m_logB.tx.empty());
    EXPECT_EQ(m_logB.tx.front().first, Seconds(1) + DELAY);
    const BfdHeader& reply = m_logB.tx.front().second;
    EXPECT_EQ(reply.GetState(), BfdHeader::UP);
    EXPECT_EQ(reply.GetMyDiscriminator(), REFLECTOR_DISCRIMINATOR);
    EXPECT_EQ(reply.GetYourDiscriminator(), 0x1001u);
    EXPECT_EQ(reply.GetDetectMult(), 3);
    EXPECT_EQ(reply.GetDesiredMinTxInterval(), Seconds(1)); // copied from the request
    EXPECT_EQ(reply.GetRequiredMinRxInterval(), MilliSeconds(10));
    EXPECT_EQ(m_logA.tx.front().second.GetYourDiscriminator(), REFLECTOR_DISCRIMINATOR);
    // Up: interval max(50 ms, 10 ms) (jitter off: exactly 50 ms apart), Detection Time
    // 3 x 50 ms; back to the 1 s slow start once Down.
    std::vector<Time> times = m_logA.TxTimes(Seconds(2), Seconds(3));
    for (size_t i = 1; i < times.size(); ++i)
    {
        EXPECT_EQ(times[i] - times[i - 1], MilliSeconds(50));
    }
    EXPECT_EQ(m_a->GetTxInterval(), Seconds(1));
    // Down exactly one Detection Time after the last reply, after exactly DetectMult requests
    // went unanswered.
    const Change& down = m_logA.changes[1];
    EXPECT_EQ(down.from, S::UP);
    EXPECT_EQ(down.to, S::DOWN);
    EXPECT_EQ(down.diag, BfdHeader::CONTROL_DETECTION_TIME_EXPIRED);
    Time lastReply = m_logA.LastRxBefore(down.at);
    EXPECT_EQ(down.at - lastReply, MilliSeconds(150));
    EXPECT_EQ(m_logA.TxTimes(lastReply - 2 * DELAY + MicroSeconds(1), down.at).size(), 3u);
    EXPECT_EQ(m_b->GetState(), S::UP); // the reflector keeps no state machine
}

TEST_F(SbfdTest, WithJitterInitiatorStillGoesUpOneRoundTripAfterItsFirstRequest)
{
    MakeSbfd(true);
    m_a->Start();
    m_b->Start();

    RunUntil(Seconds(3));

    ASSERT_FALSE(m_logA.tx.empty());
    Time first = m_logA.tx.front().first;
    EXPECT_GE(first, MilliSeconds(750));
    EXPECT_LT(first, Seconds(1));
    EXPECT_EQ(m_logA.changes, (std::vector<Change>{{first + 2 * DELAY, S::DOWN, S::UP, 0}}));
    // Every request answered once (the last one may still be in flight).
    EXPECT_LE(m_logA.tx.size() - m_logB.tx.size(), 1u);
}

TEST_F(SbfdTest, ReflectorAdminDownTakesInitiatorDownWithDiagThreeUntilReflectorStarts)
{
    MakeSbfd(false);
    m_a->Start();
    m_b->Start();
    RunUntil(Seconds(3));
    ASSERT_EQ(m_a->GetState(), S::UP);

    m_b->AdminDown();
    RunUntil(Seconds(4));

    EXPECT_EQ(m_logB.changes.back(), (Change{Seconds(3), S::UP, S::ADMIN_DOWN, 7}));
    EXPECT_EQ(m_a->GetState(), S::DOWN);
    EXPECT_EQ(m_logA.changes.back().diag, BfdHeader::NEIGHBOR_SIGNALED_DOWN);
    EXPECT_EQ(m_logB.tx.back().second.GetState(), BfdHeader::ADMIN_DOWN);
    EXPECT_EQ(m_logB.tx.back().second.GetDiag(), BfdHeader::ADMINISTRATIVELY_DOWN);

    m_b->Start();
    RunUntil(Seconds(6));

    EXPECT_EQ(m_a->GetState(), S::UP);
}

TEST_F(SbfdTest, ReflectorRefusesOtherDiscriminatorAndAnswersPollWithFinal)
{
    MakeSbfd(false);
    m_b->Start();
    BfdHeader request;
    request.SetState(BfdHeader::DOWN);
    request.SetPoll(true);
    request.SetDetectMult(4);
    request.SetMyDiscriminator(0x2002);
    request.SetYourDiscriminator(REFLECTOR_DISCRIMINATOR + 1);
    request.SetDesiredMinTxInterval(MilliSeconds(30));
    InjectAt(MilliSeconds(1), m_b, SerializeHeader(request));
    request.SetYourDiscriminator(REFLECTOR_DISCRIMINATOR);
    InjectAt(MilliSeconds(2), m_b, SerializeHeader(request));

    RunUntil(MilliSeconds(3));

    ASSERT_EQ(m_logB.drops.size(), 1u);
    EXPECT_EQ(
        m_logB.drops[0],
        std::make_pair(MilliSeconds(1), std::string(BfdSession::DROP_DISCRIMINATOR_MISMATCH)));
    ASSERT_EQ(m_logB.tx.size(), 1u);
    EXPECT_EQ(m_logB.tx[0].first, MilliSeconds(2));
    const BfdHeader& reply = m_logB.tx[0].second;
    EXPECT_TRUE(reply.GetFinal());
    EXPECT_FALSE(reply.GetPoll());
    EXPECT_EQ(reply.GetYourDiscriminator(), 0x2002u);
    EXPECT_EQ(reply.GetDetectMult(), 4);
    EXPECT_EQ(reply.GetDesiredMinTxInterval(), MilliSeconds(30));
}

// ---------------------------------------------------------------------------------------------
// BfdSession: lifecycle and configuration
// ---------------------------------------------------------------------------------------------

TEST_F(BfdSessionTest, DisposeCancelsBothTimers)
{
    MakePair(FAST_A, SLOW_B, 5);
    m_a->Start();
    m_b->Start();
    RunUntil(Seconds(3));
    size_t txA = m_logA.tx.size();
    size_t txB = m_logB.tx.size();

    m_a->Dispose();
    m_b->Dispose();
    RunUntil(Seconds(10)); // past every timer the sessions had; in-flight packets arrive

    EXPECT_EQ(m_logA.tx.size(), txA);
    EXPECT_EQ(m_logB.tx.size(), txB);
    EXPECT_TRUE(Simulator::IsFinished()) << "no timer left behind";
    for (const auto& [at, reason] : m_logA.drops)
    {
        EXPECT_EQ(reason, BfdSession::DROP_NOT_STARTED);
    }
}

TEST_F(BfdSessionTest, SameStreamGivesSameJitterAndOtherStreamDiffers)
{
    auto firstTx = [this](int64_t stream) {
        Ptr<BfdSession> s = Make(FAST_A, stream);
        Time first;
        s->SetSendCallback(BfdSession::SendCallback([](Ptr<Packet>) {}));
        s->TraceConnectWithoutContext(
            "Tx",
            Callback<void, Ptr<const Packet>>([&first](Ptr<const Packet>) {
                if (first.IsZero())
                {
                    first = Simulator::Now();
                }
            }));
        s->Start();
        RunUntil(Seconds(2));
        s->Dispose();
        Simulator::Destroy();
        return first;
    };

    Time a = firstTx(17);
    Time b = firstTx(17);
    Time c = firstTx(18);

    EXPECT_EQ(a, b);
    EXPECT_NE(a, c);
}

TEST(BfdSessionAttributes, CheckersRefuseOutOfRangeValues)
{
    Ptr<BfdSession> s = CreateObject<BfdSession>();

    EXPECT_FALSE(s->SetAttributeFailSafe("DetectMult", UintegerValue(0)));
    EXPECT_FALSE(s->SetAttributeFailSafe("LocalDiscriminator", UintegerValue(0)));
    EXPECT_FALSE(s->SetAttributeFailSafe("DesiredMinTxInterval", TimeValue(Time(0))));
    EXPECT_FALSE(
        s->SetAttributeFailSafe("DesiredMinTxInterval", TimeValue(MicroSeconds(0x100000000LL))));
    EXPECT_TRUE(s->SetAttributeFailSafe("RequiredMinRxInterval", TimeValue(Time(0))));
    EXPECT_TRUE(s->SetAttributeFailSafe("DetectMult", UintegerValue(255)));
    TimeValue tx;
    CreateObject<BfdSession>()->GetAttribute("DesiredMinTxInterval", tx);
    EXPECT_EQ(tx.Get(), MilliSeconds(300));
    s->Dispose();
}

TEST(BfdSessionDeathTest, StartWithoutSendCallbackOrReflectorDiscriminatorAborts)
{
    EXPECT_DEATH(CreateObject<BfdSession>()->Start(), "no send callback set");
    EXPECT_DEATH(
        {
            Ptr<BfdSession> s = CreateObject<BfdSession>();
            s->SetAttribute("Role", EnumValue(BfdSession::SBFD_INITIATOR));
            s->SetSendCallback(BfdSession::SendCallback([](Ptr<Packet>) {}));
            s->Start();
        },
        "S-BFD initiator without ReflectorDiscriminator");
}
