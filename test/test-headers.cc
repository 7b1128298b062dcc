// Tests for the overlay encapsulation headers: GeneveHeader (RFC 8926), VxlanHeader (RFC 7348)
// and NshHeader (RFC 8300). Golden byte arrays are laid out by hand from the RFC figures, one
// comment per field. Malformed-input tests hand the parser a std::vector of exactly the bytes
// under test, so that a read past the end shows up under valgrind (see the commit message).

#include "geneve-header.h"
#include "header-round-trip.h"
#include "igmp-header.h"
#include "nsh-header.h"
#include "vxlan-header.h"

#include "ns3/packet.h"

#include <cstdint>
#include <gtest/gtest.h>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

using namespace ns3;

namespace
{

// RFC 8926 3.4/3.5: VNI 5000, O bit, Protocol Type 0x6558, one critical 4-byte option.
// clang-format off
const std::vector<uint8_t> GENEVE_GOLDEN_CRITICAL_OPTION{
    0x02,                   // Ver 0 (2 bits) | Opt Len 2 words (6 bits) = 8 bytes of options
    0xc0,                   // O 1 | C 1 | Rsvd 0 (6 bits)
    0x65, 0x58,             // Protocol Type 0x6558 (Transparent Ethernet Bridging)
    0x00, 0x13, 0x88,       // VNI 5000 = 0x001388
    0x00,                   // Reserved
    0x01, 0x02,             // option: Option Class 0x0102
    0x80,                   // option: Type 0x80 (critical bit set)
    0x01,                   // option: R 0 (3 bits) | Length 1 word (5 bits)
    0xde, 0xad, 0xbe, 0xef, // option: data
};
// clang-format on

// RFC 8926 3.4: VNI 5000, no flags, Protocol Type 0x6558, no options.
// clang-format off
const std::vector<uint8_t> GENEVE_GOLDEN_NO_OPTIONS{
    0x00,             // Ver 0 | Opt Len 0
    0x00,             // O 0 | C 0 | Rsvd 0
    0x65, 0x58,       // Protocol Type 0x6558
    0x00, 0x13, 0x88, // VNI 5000
    0x00,             // Reserved
};
// clang-format on

// RFC 8926 3.4/3.5: VNI 0xFFFFFF, IPv4 payload, one non-critical option with no data.
// clang-format off
const std::vector<uint8_t> GENEVE_GOLDEN_NON_CRITICAL_OPTION{
    0x01,             // Ver 0 | Opt Len 1 word
    0x00,             // O 0 | C 0 | Rsvd 0
    0x08, 0x00,       // Protocol Type 0x0800 (IPv4)
    0xff, 0xff, 0xff, // VNI 0xFFFFFF
    0x00,             // Reserved
    0xff, 0x00,       // option: Option Class 0xFF00 (experimental)
    0x7f,             // option: Type 0x7f (critical bit clear)
    0x00,             // option: R 0 | Length 0 words
};
// clang-format on

// RFC 7348 5: VNI 6000.
// clang-format off
const std::vector<uint8_t> VXLAN_GOLDEN_VNI_6000{
    0x08,             // flags: R R R R I R R R, only I set
    0x00, 0x00, 0x00, // Reserved (24 bits)
    0x00, 0x17, 0x70, // VNI 6000 = 0x001770
    0x00,             // Reserved (8 bits)
};

// clang-format on

/// The golden GENEVE header with a critical option, built through the API.
GeneveHeader
MakeGeneveWithCriticalOption()
{
    GeneveHeader header;
    header.SetVni(5000);
    header.SetOam(true);
    header.SetProtocolType(GeneveHeader::PROTOCOL_TEB);
    EXPECT_TRUE(header.AddOption(GeneveOption{0x0102, 0x80, {0xde, 0xad, 0xbe, 0xef}}));
    return header;
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

} // namespace

// ---------------------------------------------------------------------------------------------
// GENEVE: golden bytes
// ---------------------------------------------------------------------------------------------

TEST(GeneveHeader, CriticalOptionSerializesToRfcGoldenBytesWithCBitSet)
{
    GeneveHeader header = MakeGeneveWithCriticalOption();

    std::vector<uint8_t> bytes = SerializeHeader(header);

    EXPECT_EQ(bytes, GENEVE_GOLDEN_CRITICAL_OPTION);
    EXPECT_EQ(bytes[1] & 0x40, 0x40) << "C bit must be set on the wire";
    EXPECT_TRUE(header.GetCritical());
    EXPECT_EQ(header.GetSerializedSize(), 16u);
}

TEST(GeneveHeader, NoOptionsSerializesToEightRfcGoldenBytes)
{
    GeneveHeader header;
    header.SetVni(5000);

    EXPECT_EQ(SerializeHeader(header), GENEVE_GOLDEN_NO_OPTIONS);
}

TEST(GeneveHeader, NonCriticalOptionSerializesToGoldenBytesWithCBitClear)
{
    GeneveHeader header;
    header.SetVni(0xFFFFFF);
    header.SetProtocolType(0x0800);
    ASSERT_TRUE(header.AddOption(GeneveOption{0xff00, 0x7f, {}}));

    EXPECT_EQ(SerializeHeader(header), GENEVE_GOLDEN_NON_CRITICAL_OPTION);
    EXPECT_FALSE(header.GetCritical());
}

TEST(GeneveHeader, DefaultIsVersionZeroTebVniZeroNoFlags)
{
    GeneveHeader header;

    EXPECT_EQ(SerializeHeader(header),
              (std::vector<uint8_t>{0x00, 0x00, 0x65, 0x58, 0x00, 0x00, 0x00, 0x00}));
    EXPECT_EQ(header.GetProtocolType(), 0x6558);
    EXPECT_EQ(GeneveHeader::UDP_PORT, 6081);
    EXPECT_EQ(GeneveHeader::PROTOCOL_TEB, 0x6558);
}

TEST(GeneveHeader, ParseFromGoldenBytesRecoversEveryField)
{
    GeneveHeader header;
    std::string error;

    uint32_t consumed = GeneveHeader::ParseFrom(GENEVE_GOLDEN_CRITICAL_OPTION.data(),
                                                GENEVE_GOLDEN_CRITICAL_OPTION.size(),
                                                header,
                                                &error);

    EXPECT_EQ(consumed, 16u);
    EXPECT_EQ(error, "");
    EXPECT_EQ(header.GetVni(), 5000u);
    EXPECT_TRUE(header.GetOam());
    EXPECT_TRUE(header.GetCritical());
    EXPECT_EQ(header.GetProtocolType(), 0x6558);
    EXPECT_EQ(header.GetOptionsLength(), 8u);
    ASSERT_EQ(header.GetOptions().size(), 1u);
    EXPECT_EQ(header.GetOptions()[0].optionClass, 0x0102);
    EXPECT_EQ(header.GetOptions()[0].type, 0x80);
    EXPECT_EQ(header.GetOptions()[0].data, (std::vector<uint8_t>{0xde, 0xad, 0xbe, 0xef}));
}

TEST(GeneveHeader, PrintShowsFieldsAndOptions)
{
    std::ostringstream os;
    MakeGeneveWithCriticalOption().Print(os);

    EXPECT_EQ(os.str(),
              "GENEVE vni=5000 proto=0x6558 O=1 C=1 optlen=8 [class=0x0102 type=0x80 len=4]");
}

// ---------------------------------------------------------------------------------------------
// GENEVE: options and the C bit
// ---------------------------------------------------------------------------------------------

TEST(GeneveHeader, AddNonCriticalOptionLeavesCBitClear)
{
    GeneveHeader header;
    ASSERT_TRUE(header.AddOption(GeneveOption{0x0102, 0x05, {1, 2, 3, 4}}));

    EXPECT_FALSE(header.GetCritical());
    EXPECT_FALSE(header.HasCriticalOption());
    EXPECT_EQ(SerializeHeader(header)[1], 0x00);
}

TEST(GeneveHeader, AddCriticalOptionAfterNonCriticalSetsCBit)
{
    GeneveHeader header;
    ASSERT_TRUE(header.AddOption(GeneveOption{0x0102, 0x05, {}}));
    ASSERT_TRUE(header.AddOption(GeneveOption{0x0102, 0x85, {}}));

    EXPECT_TRUE(header.GetCritical());
    EXPECT_TRUE(header.HasCriticalOption());
    EXPECT_EQ(SerializeHeader(header)[1], 0x40);
}

TEST(GeneveHeader, GetOptionsLengthCountsBytesIncludingTlvHeaders)
{
    GeneveHeader header;
    ASSERT_TRUE(header.AddOption(GeneveOption{1, 1, std::vector<uint8_t>(8, 0xaa)}));
    ASSERT_TRUE(header.AddOption(GeneveOption{2, 2, {}}));

    EXPECT_EQ(header.GetOptionsLength(), 16u); // (4 + 8) + (4 + 0)
    EXPECT_EQ(header.GetSerializedSize(), 24u);
    EXPECT_EQ(SerializeHeader(header)[0], 0x04); // Opt Len in words
}

TEST(GeneveHeader, AddOptionRefusesDataNotMultipleOfFourAndLeavesHeaderUnchanged)
{
    GeneveHeader header;
    std::string error;

    EXPECT_FALSE(header.AddOption(GeneveOption{1, 0x80, {1, 2, 3, 4, 5}}, &error));

    EXPECT_EQ(error, "option data length 5 bytes is not a multiple of 4");
    EXPECT_EQ(header.GetOptions().size(), 0u);
    EXPECT_EQ(header.GetOptionsLength(), 0u);
    EXPECT_FALSE(header.GetCritical());
}

TEST(GeneveHeader, AddOptionAccepts124DataBytesAndRefuses128)
{
    GeneveHeader header;
    std::string error;

    EXPECT_FALSE(header.AddOption(GeneveOption{1, 1, std::vector<uint8_t>(128, 0)}, &error));
    EXPECT_EQ(error, "option data length 128 bytes exceeds 124");
    EXPECT_TRUE(header.AddOption(GeneveOption{1, 1, std::vector<uint8_t>(124, 0)}));
    EXPECT_EQ(header.GetOptionsLength(), 128u);
    EXPECT_EQ(SerializeHeader(header)[11], 31) << "option Length field is 31 words";
}

TEST(GeneveHeader, AddOptionRefusesOptionThatWouldPushOptionAreaPast252Bytes)
{
    GeneveHeader header;
    for (int i = 0; i < 63; ++i)
    {
        ASSERT_TRUE(header.AddOption(GeneveOption{0x0001, static_cast<uint8_t>(i), {}}));
    }
    std::string error;

    EXPECT_FALSE(header.AddOption(GeneveOption{0x0001, 0x00, {}}, &error));

    EXPECT_EQ(error, "options would total 256 bytes, more than 252");
    EXPECT_EQ(header.GetOptions().size(), 63u);
    EXPECT_EQ(header.GetOptionsLength(), 252u);
}

TEST(GeneveHeaderDeathTest, SetVniAbove24BitsAborts)
{
    GeneveHeader header;
    EXPECT_DEATH(header.SetVni(0x1000000), "GENEVE VNI 16777216 does not fit in 24 bits");
}

// ---------------------------------------------------------------------------------------------
// GENEVE: round trips
// ---------------------------------------------------------------------------------------------

class GeneveRoundTrip : public ::testing::TestWithParam<std::tuple<uint32_t, bool, uint16_t>>
{
};

TEST_P(GeneveRoundTrip, VniFlagsAndProtocolSurviveSerializeDeserializeSerialize)
{
    auto [vni, oam, protocol] = GetParam();
    GeneveHeader header;
    header.SetVni(vni);
    header.SetOam(oam);
    header.SetProtocolType(protocol);
    GeneveHeader decoded;

    std::vector<uint8_t> bytes = CheckHeaderRoundTrip(header, &decoded);

    ASSERT_EQ(bytes.size(), 8u);
    EXPECT_EQ(bytes[0], 0x00);
    EXPECT_EQ(bytes[1], oam ? 0x80 : 0x00);
    EXPECT_EQ(bytes[2], protocol >> 8);
    EXPECT_EQ(bytes[3], protocol & 0xff);
    EXPECT_EQ(bytes[4], (vni >> 16) & 0xff);
    EXPECT_EQ(bytes[5], (vni >> 8) & 0xff);
    EXPECT_EQ(bytes[6], vni & 0xff);
    EXPECT_EQ(bytes[7], 0x00);
    EXPECT_EQ(decoded.GetVni(), vni);
    EXPECT_EQ(decoded.GetOam(), oam);
    EXPECT_EQ(decoded.GetProtocolType(), protocol);
    EXPECT_TRUE(decoded.GetOptions().empty());
}

INSTANTIATE_TEST_SUITE_P(
    VniOamProtocol,
    GeneveRoundTrip,
    ::testing::Combine(::testing::Values(0u, 1u, 5000u, 0x800000u, 0xFFFFFFu),
                       ::testing::Bool(),
                       ::testing::Values(uint16_t{0x6558}, uint16_t{0x0800}, uint16_t{0x86dd})));

TEST(GeneveHeader, RoundTripKeepsGoldenCriticalOptionBytes)
{
    GeneveHeader decoded;

    std::vector<uint8_t> bytes = CheckHeaderRoundTrip(MakeGeneveWithCriticalOption(), &decoded);

    EXPECT_EQ(bytes, GENEVE_GOLDEN_CRITICAL_OPTION);
    EXPECT_TRUE(decoded.GetCritical());
}

TEST(GeneveHeader, RoundTripsMaximumOptionAreaOf63EmptyOptions)
{
    GeneveHeader header;
    header.SetVni(0xFFFFFF);
    for (int i = 0; i < 63; ++i)
    {
        ASSERT_TRUE(header.AddOption(
            GeneveOption{static_cast<uint16_t>(0x0100 + i), static_cast<uint8_t>(i), {}}));
    }
    GeneveHeader decoded;

    std::vector<uint8_t> bytes = CheckHeaderRoundTrip(header, &decoded);

    ASSERT_EQ(bytes.size(), 260u);
    EXPECT_EQ(bytes[0], 0x3f); // Opt Len 63 words, the 6-bit maximum
    EXPECT_EQ(bytes[8 + 4 * 62], 0x01);
    EXPECT_EQ(bytes[8 + 4 * 62 + 1], 0x3e); // class of the last option, 0x013e
    EXPECT_EQ(bytes[8 + 4 * 62 + 2], 62);   // type of the last option
    EXPECT_EQ(decoded.GetOptions(), header.GetOptions());
}

TEST(GeneveHeader, RoundTripsTwoLargestOptionsFillingOptionArea)
{
    GeneveHeader header;
    std::vector<uint8_t> first(124);
    std::vector<uint8_t> second(120);
    for (size_t i = 0; i < first.size(); ++i)
    {
        first[i] = static_cast<uint8_t>(i);
    }
    for (size_t i = 0; i < second.size(); ++i)
    {
        second[i] = static_cast<uint8_t>(0xff - i);
    }
    ASSERT_TRUE(header.AddOption(GeneveOption{0xabcd, 0x81, first}));
    ASSERT_TRUE(header.AddOption(GeneveOption{0x1234, 0x02, second}));
    GeneveHeader decoded;

    std::vector<uint8_t> bytes = CheckHeaderRoundTrip(header, &decoded);

    ASSERT_EQ(bytes.size(), 260u);
    EXPECT_EQ(bytes[0], 0x3f);
    EXPECT_EQ(bytes[1], 0x40);         // C set by the critical first option
    EXPECT_EQ(bytes[11], 31);          // first option: 31 words
    EXPECT_EQ(bytes[8 + 128 + 3], 30); // second option: 30 words
    EXPECT_EQ(bytes[259], 0xff - 119); // last data byte of the second option
    EXPECT_EQ(decoded.GetOptions(), header.GetOptions());
}

TEST(GeneveHeader, ReceivedCBitWithoutCriticalOptionIsKeptAsReceived)
{
    // clang-format off
    const std::vector<uint8_t> bytes{
        0x00,             // Ver 0 | Opt Len 0
        0x40,             // O 0 | C 1 | Rsvd 0
        0x65, 0x58,       // Protocol Type
        0x00, 0x00, 0x07, // VNI 7
        0x00,             // Reserved
    };
    // clang-format on
    GeneveHeader header;

    ASSERT_EQ(GeneveHeader::ParseFrom(bytes.data(), bytes.size(), header), 8u);

    EXPECT_TRUE(header.GetCritical());
    EXPECT_FALSE(header.HasCriticalOption());
    EXPECT_EQ(CheckHeaderRoundTrip(header), bytes);
}

TEST(GeneveHeader, ReservedBitsAreIgnoredOnReceiptAndSentAsZero)
{
    // clang-format off
    const std::vector<uint8_t> bytes{
        0x01,             // Ver 0 | Opt Len 1 word
        0xbf,             // O 1 | C 0 | Rsvd 0x3f (all ones)
        0x65, 0x58,       // Protocol Type
        0x00, 0x00, 0x2a, // VNI 42
        0xff,             // Reserved, all ones
        0x00, 0x01,       // option: class 1
        0x05,             // option: type 5
        0xe0,             // option: R 0b111 | Length 0
    };
    // clang-format on
    GeneveHeader header;

    ASSERT_EQ(GeneveHeader::ParseFrom(bytes.data(), bytes.size(), header), 12u);

    EXPECT_EQ(header.GetVni(), 42u);
    EXPECT_TRUE(header.GetOam());
    EXPECT_FALSE(header.GetCritical());
    // clang-format off
    const std::vector<uint8_t> expected{
        0x01,             // Ver 0 | Opt Len 1 word
        0x80,             // O 1 | C 0 | Rsvd 0
        0x65, 0x58,       // Protocol Type
        0x00, 0x00, 0x2a, // VNI 42
        0x00,             // Reserved 0
        0x00, 0x01,       // option: class 1
        0x05,             // option: type 5
        0x00,             // option: R 0 | Length 0
    };
    // clang-format on
    EXPECT_EQ(SerializeHeader(header), expected);
}

// ---------------------------------------------------------------------------------------------
// GENEVE: malformed input refused
// ---------------------------------------------------------------------------------------------

TEST(GeneveHeader, ParseFromRefusesBuffersShorterThanEightBytes)
{
    for (size_t n = 0; n < 8; ++n)
    {
        SCOPED_TRACE("length " + std::to_string(n));
        std::vector<uint8_t> bytes = Prefix(GENEVE_GOLDEN_NO_OPTIONS, n);
        GeneveHeader header;
        std::string error;

        EXPECT_EQ(GeneveHeader::ParseFrom(bytes.data(), bytes.size(), header, &error), 0u);

        EXPECT_EQ(error, "short buffer: need 8 bytes, have " + std::to_string(n));
    }
}

TEST(GeneveHeader, ParseFromRefusesNullBufferOfLengthZero)
{
    GeneveHeader header;
    std::string error;

    EXPECT_EQ(GeneveHeader::ParseFrom(nullptr, 0, header, &error), 0u);
    EXPECT_EQ(error, "short buffer: need 8 bytes, have 0");
}

TEST(GeneveHeader, ParseFromRefusesVersionsOneTwoAndThree)
{
    for (uint8_t version = 1; version <= 3; ++version)
    {
        SCOPED_TRACE("version " + std::to_string(version));
        std::vector<uint8_t> bytes = GENEVE_GOLDEN_NO_OPTIONS;
        bytes[0] = static_cast<uint8_t>(version << 6); // Ver | Opt Len 0
        GeneveHeader header;
        std::string error;

        EXPECT_EQ(GeneveHeader::ParseFrom(bytes.data(), bytes.size(), header, &error), 0u);

        EXPECT_EQ(error, "unsupported version " + std::to_string(version));
    }
}

TEST(GeneveHeader, ParseFromRefusesOptionLengthRunningPastEndOfBuffer)
{
    // clang-format off
    const std::vector<uint8_t> bytes{
        0x0c,                   // Ver 0 | Opt Len 12 words = 48 bytes announced
        0x00,                   // O 0 | C 0
        0x65, 0x58,             // Protocol Type
        0x00, 0x00, 0x01,       // VNI 1
        0x00,                   // Reserved
        0x01, 0x02, 0x03, 0x01, // option: class 0x0102, type 3, Length 1
        0xde, 0xad, 0xbe, 0xef, // option data
        0x00, 0x00, 0x00, 0x00, // only 12 of the 48 option bytes are present
    };
    // clang-format on
    GeneveHeader header;
    std::string error;

    EXPECT_EQ(GeneveHeader::ParseFrom(bytes.data(), bytes.size(), header, &error), 0u);

    EXPECT_EQ(error, "option length 12 words runs past end of buffer (have 20 bytes)");
}

TEST(GeneveHeader, ParseFromRefusesEveryTruncationInsideOptionArea)
{
    for (size_t n = 8; n < GENEVE_GOLDEN_CRITICAL_OPTION.size(); ++n)
    {
        SCOPED_TRACE("length " + std::to_string(n));
        std::vector<uint8_t> bytes = Prefix(GENEVE_GOLDEN_CRITICAL_OPTION, n);
        GeneveHeader header;
        std::string error;

        EXPECT_EQ(GeneveHeader::ParseFrom(bytes.data(), bytes.size(), header, &error), 0u);

        EXPECT_EQ(error,
                  "option length 2 words runs past end of buffer (have " + std::to_string(n) +
                      " bytes)");
    }
}

TEST(GeneveHeader, ParseFromRefusesOptionTlvRunningPastDeclaredOptionAreaEvenIfBufferIsLonger)
{
    // clang-format off
    const std::vector<uint8_t> bytes{
        0x01,                   // Ver 0 | Opt Len 1 word: the option area is 4 bytes
        0x00,                   // O 0 | C 0
        0x65, 0x58,             // Protocol Type
        0x00, 0x00, 0x01,       // VNI 1
        0x00,                   // Reserved
        0x01, 0x02, 0x03, 0x01, // option: class 0x0102, type 3, Length 1 word (needs 4 more)
        0xde, 0xad, 0xbe, 0xef, // payload, outside the option area
    };
    // clang-format on
    GeneveHeader header;
    std::string error;

    EXPECT_EQ(GeneveHeader::ParseFrom(bytes.data(), bytes.size(), header, &error), 0u);

    EXPECT_EQ(error,
              "option TLV length runs past option area: option at offset 0 declares 1 words, 0 "
              "bytes left");
}

TEST(GeneveHeader, ParseFromRefusesSecondOptionTlvRunningPastOptionArea)
{
    // clang-format off
    const std::vector<uint8_t> bytes{
        0x03,                   // Ver 0 | Opt Len 3 words = 12 bytes
        0x00,                   // O 0 | C 0
        0x65, 0x58,             // Protocol Type
        0x00, 0x00, 0x01,       // VNI 1
        0x00,                   // Reserved
        0x01, 0x02, 0x03, 0x01, // option 1: Length 1 word
        0xde, 0xad, 0xbe, 0xef, // option 1 data
        0x01, 0x02, 0x04, 0x02, // option 2: Length 2 words, but the area ends here
    };
    // clang-format on
    GeneveHeader header;
    std::string error;

    EXPECT_EQ(GeneveHeader::ParseFrom(bytes.data(), bytes.size(), header, &error), 0u);

    EXPECT_EQ(error,
              "option TLV length runs past option area: option at offset 8 declares 2 words, 0 "
              "bytes left");
}

TEST(GeneveHeader, ParseFromRefusalLeavesOutputHeaderUnchanged)
{
    GeneveHeader header = MakeGeneveWithCriticalOption();
    std::vector<uint8_t> bytes = Prefix(GENEVE_GOLDEN_CRITICAL_OPTION, 12);

    EXPECT_EQ(GeneveHeader::ParseFrom(bytes.data(), bytes.size(), header), 0u);

    EXPECT_EQ(SerializeHeader(header), GENEVE_GOLDEN_CRITICAL_OPTION);
}

TEST(GeneveHeader, ParseFromConsumesOnlyTheHeaderWhenPayloadFollows)
{
    std::vector<uint8_t> bytes = GENEVE_GOLDEN_CRITICAL_OPTION;
    bytes.insert(bytes.end(), {0x01, 0x02, 0x03});
    GeneveHeader header;

    EXPECT_EQ(GeneveHeader::ParseFrom(bytes.data(), bytes.size(), header), 16u);
}

TEST(GeneveHeader, RemoveHeaderRefusesTruncatedPacketReturningZeroAndKeepsPacket)
{
    Ptr<Packet> packet = PacketOf(Prefix(GENEVE_GOLDEN_CRITICAL_OPTION, 12));
    GeneveHeader header;

    EXPECT_EQ(packet->RemoveHeader(header), 0u);

    EXPECT_EQ(packet->GetSize(), 12u);
    EXPECT_EQ(header.GetVni(), 0u);
    EXPECT_TRUE(header.GetOptions().empty());
}

TEST(GeneveHeader, RemoveHeaderRefusesPacketShorterThanEightBytes)
{
    for (size_t n = 0; n < 8; ++n)
    {
        SCOPED_TRACE("length " + std::to_string(n));
        Ptr<Packet> packet = PacketOf(Prefix(GENEVE_GOLDEN_NO_OPTIONS, n));
        GeneveHeader header;

        EXPECT_EQ(packet->RemoveHeader(header), 0u);
        EXPECT_EQ(packet->GetSize(), n);
    }
}

TEST(GeneveHeader, RemoveHeaderRefusesWrongVersion)
{
    std::vector<uint8_t> bytes = GENEVE_GOLDEN_NO_OPTIONS;
    bytes[0] = 0x80; // Ver 2
    Ptr<Packet> packet = PacketOf(bytes);
    GeneveHeader header;

    EXPECT_EQ(packet->RemoveHeader(header), 0u);
}

TEST(GeneveHeader, RemoveHeaderWithSizeLimitDoesNotReadPastTheLimit)
{
    std::vector<uint8_t> bytes = GENEVE_GOLDEN_CRITICAL_OPTION;
    bytes.insert(bytes.end(), {0xaa, 0xbb, 0xcc, 0xdd});
    GeneveHeader header;

    EXPECT_EQ(PacketOf(bytes)->RemoveHeader(header, 12), 0u);
    EXPECT_EQ(PacketOf(bytes)->RemoveHeader(header, 16), 16u);
    EXPECT_EQ(header.GetVni(), 5000u);
}

// ---------------------------------------------------------------------------------------------
// VXLAN
// ---------------------------------------------------------------------------------------------

TEST(VxlanHeader, Vni6000SerializesToRfcGoldenBytes)
{
    VxlanHeader header;
    header.SetVni(6000);

    EXPECT_EQ(SerializeHeader(header), VXLAN_GOLDEN_VNI_6000);
    EXPECT_EQ(VxlanHeader::UDP_PORT, 4789);
}

TEST(VxlanHeader, ParseFromGoldenBytesRecoversVni)
{
    VxlanHeader header;

    EXPECT_EQ(VxlanHeader::ParseFrom(VXLAN_GOLDEN_VNI_6000.data(), 8, header), 8u);
    EXPECT_EQ(header.GetVni(), 6000u);
}

TEST(VxlanHeader, PrintShowsVni)
{
    VxlanHeader header;
    header.SetVni(6000);
    std::ostringstream os;

    header.Print(os);

    EXPECT_EQ(os.str(), "VXLAN vni=6000");
}

class VxlanRoundTrip : public ::testing::TestWithParam<uint32_t>
{
};

TEST_P(VxlanRoundTrip, VniSurvivesSerializeDeserializeSerialize)
{
    uint32_t vni = GetParam();
    VxlanHeader header;
    header.SetVni(vni);
    VxlanHeader decoded;

    std::vector<uint8_t> bytes = CheckHeaderRoundTrip(header, &decoded);

    EXPECT_EQ(bytes,
              (std::vector<uint8_t>{0x08,
                                    0x00,
                                    0x00,
                                    0x00,
                                    static_cast<uint8_t>(vni >> 16),
                                    static_cast<uint8_t>(vni >> 8),
                                    static_cast<uint8_t>(vni),
                                    0x00}));
    EXPECT_EQ(decoded.GetVni(), vni);
}

INSTANTIATE_TEST_SUITE_P(Vni,
                         VxlanRoundTrip,
                         ::testing::Values(0u, 1u, 6000u, 0x123456u, 0x800000u, 0xFFFFFFu));

TEST(VxlanHeader, ParseFromRefusesBuffersShorterThanEightBytes)
{
    for (size_t n = 0; n < 8; ++n)
    {
        SCOPED_TRACE("length " + std::to_string(n));
        std::vector<uint8_t> bytes = Prefix(VXLAN_GOLDEN_VNI_6000, n);
        VxlanHeader header;
        std::string error;

        EXPECT_EQ(VxlanHeader::ParseFrom(bytes.data(), bytes.size(), header, &error), 0u);

        EXPECT_EQ(error, "short buffer: need 8 bytes, have " + std::to_string(n));
    }
}

TEST(VxlanHeader, ParseFromRefusesIFlagClear)
{
    for (uint8_t flags : {uint8_t{0x00}, uint8_t{0xf7}})
    {
        SCOPED_TRACE("flags " + std::to_string(flags));
        std::vector<uint8_t> bytes = VXLAN_GOLDEN_VNI_6000;
        bytes[0] = flags;
        VxlanHeader header;
        header.SetVni(1);
        std::string error;

        EXPECT_EQ(VxlanHeader::ParseFrom(bytes.data(), bytes.size(), header, &error), 0u);

        EXPECT_EQ(error,
                  std::string("I flag clear (flags 0x") + (flags == 0 ? "00" : "f7") +
                      "): VNI not valid");
        EXPECT_EQ(header.GetVni(), 1u) << "refusal must leave the header unchanged";
    }
}

TEST(VxlanHeader, ReservedBitsAreIgnoredOnReceiptAndSentAsZero)
{
    // clang-format off
    const std::vector<uint8_t> bytes{
        0xff,             // flags: I set, every reserved flag bit set too
        0xff, 0xff, 0xff, // Reserved (24 bits), all ones
        0x00, 0x17, 0x70, // VNI 6000
        0xff,             // Reserved (8 bits), all ones
    };
    // clang-format on
    VxlanHeader header;

    ASSERT_EQ(VxlanHeader::ParseFrom(bytes.data(), bytes.size(), header), 8u);

    EXPECT_EQ(header.GetVni(), 6000u);
    EXPECT_EQ(SerializeHeader(header), VXLAN_GOLDEN_VNI_6000);
}

TEST(VxlanHeader, ParseFromConsumesOnlyEightBytesWhenPayloadFollows)
{
    std::vector<uint8_t> bytes = VXLAN_GOLDEN_VNI_6000;
    bytes.insert(bytes.end(), {0x01, 0x02, 0x03});
    VxlanHeader header;

    EXPECT_EQ(VxlanHeader::ParseFrom(bytes.data(), bytes.size(), header), 8u);
}

TEST(VxlanHeader, RemoveHeaderRefusesPacketShorterThanEightBytes)
{
    for (size_t n = 0; n < 8; ++n)
    {
        SCOPED_TRACE("length " + std::to_string(n));
        Ptr<Packet> packet = PacketOf(Prefix(VXLAN_GOLDEN_VNI_6000, n));
        VxlanHeader header;

        EXPECT_EQ(packet->RemoveHeader(header), 0u);
        EXPECT_EQ(packet->GetSize(), n);
    }
}

TEST(VxlanHeader, RemoveHeaderRefusesIFlagClear)
{
    std::vector<uint8_t> bytes = VXLAN_GOLDEN_VNI_6000;
    bytes[0] = 0x00;
    Ptr<Packet> packet = PacketOf(bytes);
    VxlanHeader header;

    EXPECT_EQ(packet->RemoveHeader(header), 0u);
    EXPECT_EQ(packet->GetSize(), 8u);
}

TEST(VxlanHeader, RemoveHeaderWithSizeLimitDoesNotReadPastTheLimit)
{
    VxlanHeader header;

    EXPECT_EQ(PacketOf(VXLAN_GOLDEN_VNI_6000)->RemoveHeader(header, 7), 0u);
    EXPECT_EQ(PacketOf(VXLAN_GOLDEN_VNI_6000)->RemoveHeader(header, 8), 8u);
    EXPECT_EQ(header.GetVni(), 6000u);
}

TEST(VxlanHeaderDeathTest, SetVniAbove24BitsAborts)
{
    VxlanHeader header;
    EXPECT_DEATH(header.SetVni(0x1000000), "VXLAN VNI 16777216 does not fit in 24 bits");
}

// ---------------------------------------------------------------------------------------------
// NSH (RFC 8300, MD type 1) with the liveness context of seed 001
// ---------------------------------------------------------------------------------------------

namespace
{

// RFC 8300 2.2-2.4: SPI 1, SI 3 (seed 001 Fig. 3: SVM1 at SI 3 on SPI 1), TTL 63, next protocol
// Ethernet; a liveness query with sequence 5 from the classifier on VTEP 10.255.0.1, segment 5000.
// clang-format off
const std::vector<uint8_t> NSH_GOLDEN_QUERY{
    0x0f, 0xc6,             // Ver 0 | O 0 | U 0 | TTL 63 (6 bits) | Length 6 words (6 bits)
    0x01,                   // U U U U 0 | MD Type 1
    0x03,                   // Next Protocol 3 (Ethernet)
    0x00, 0x00, 0x01,       // SPI 1
    0x03,                   // SI 3
    0x85,                   // context: P 1 | R 0 | sequence 5 (6 bits)
    0x00,                   //          action 0 (forward)
    0x00, 0x00,             //          reserved
    0x0a, 0xff, 0x00, 0x01, //          source VTEP 10.255.0.1
    0x00, 0x00, 0x13, 0x88, //          reserved | source segment 5000
    0x00, 0x00, 0x00, 0x00  //          reserved
};

// clang-format on

NshHeader
MakeGoldenQuery()
{
    NshHeader header;
    header.SetSpi(1);
    header.SetServiceIndex(3);
    header.SetLivenessQuery(5);
    header.SetSourceVtep(Ipv4Address("10.255.0.1"));
    header.SetSourceVni(5000);
    return header;
}

} // namespace

TEST(NshHeader, LivenessQuerySerializesToRfcGoldenBytes)
{
    EXPECT_EQ(SerializeHeader(MakeGoldenQuery()), NSH_GOLDEN_QUERY);
    EXPECT_EQ(NshHeader::ETHERTYPE, 0x894F);
    EXPECT_EQ(NshHeader::SERIALIZED_SIZE, 24u);
}

TEST(NshHeader, ParseFromGoldenBytesRecoversEveryField)
{
    NshHeader header;

    ASSERT_EQ(NshHeader::ParseFrom(NSH_GOLDEN_QUERY.data(), 24, header), 24u);

    EXPECT_FALSE(header.GetOam());
    EXPECT_EQ(header.GetTtl(), 63);
    EXPECT_EQ(header.GetNextProtocol(), NshHeader::NEXT_ETHERNET);
    EXPECT_EQ(header.GetSpi(), 1u);
    EXPECT_EQ(header.GetServiceIndex(), 3);
    EXPECT_TRUE(header.IsLivenessQuery());
    EXPECT_FALSE(header.IsLivenessReply());
    EXPECT_EQ(header.GetSequence(), 5);
    EXPECT_EQ(header.GetAction(), NshHeader::ACTION_FORWARD);
    EXPECT_EQ(header.GetSourceVtep(), Ipv4Address("10.255.0.1"));
    EXPECT_EQ(header.GetSourceVni(), 5000u);
    EXPECT_EQ(header.GetContextWord(0), 0x85000000u);
}

TEST(NshHeader, ReplyEchoesTheSequenceWithReplyBitAndNoPingBit)
{
    NshHeader header = MakeGoldenQuery();

    header.SetLivenessReply(5);

    std::vector<uint8_t> bytes = SerializeHeader(header);
    EXPECT_EQ(bytes[8], 0x45); // P 0 | R 1 | sequence 5
    EXPECT_FALSE(header.IsLivenessQuery());
    EXPECT_TRUE(header.IsLivenessReply());
    EXPECT_EQ(header.GetSequence(), 5);
    header.ClearLiveness();
    EXPECT_EQ(SerializeHeader(header)[8], 0x00);
    EXPECT_EQ(header.GetSourceVtep(), Ipv4Address("10.255.0.1")) << "the rest of the context stays";
}

TEST(NshHeader, FailedActionAndOamBitGoToTheirBits)
{
    NshHeader header = MakeGoldenQuery();
    header.SetAction(NshHeader::ACTION_FAILED);
    header.SetOam(true);
    header.SetTtl(1);

    std::vector<uint8_t> bytes = SerializeHeader(header);

    EXPECT_EQ(bytes[0], 0x20); // O 1 | TTL 1 = 000001: high 4 bits of TTL in byte 0 are 0
    EXPECT_EQ(bytes[1], 0x46); // low 2 bits of TTL (01) | Length 6
    EXPECT_EQ(bytes[9], 0x01); // action failed
    EXPECT_EQ(bytes[8], 0x85) << "the query bits are not touched by the action";
}

TEST(NshHeader, PrintShowsPathIndexAndLiveness)
{
    std::ostringstream os;

    MakeGoldenQuery().Print(os);

    EXPECT_EQ(os.str(), "NSH spi=1 si=3 ttl=63 next=3 O=0 ping seq=5 src=10.255.0.1 vni=5000");
}

struct NshCase
{
    uint32_t spi;
    uint8_t si;
    uint8_t ttl;
    uint8_t seq;
    bool reply;
};

class NshRoundTrip : public ::testing::TestWithParam<NshCase>
{
};

TEST_P(NshRoundTrip, FieldsSurviveSerializeDeserializeSerialize)
{
    const NshCase c = GetParam();
    NshHeader header;
    header.SetSpi(c.spi);
    header.SetServiceIndex(c.si);
    header.SetTtl(c.ttl);
    if (c.reply)
    {
        header.SetLivenessReply(c.seq);
    }
    else
    {
        header.SetLivenessQuery(c.seq);
    }
    header.SetSourceVni(NshHeader::MAX_VNI);
    NshHeader decoded;

    std::vector<uint8_t> bytes = CheckHeaderRoundTrip(header, &decoded);

    EXPECT_EQ(bytes[4], static_cast<uint8_t>(c.spi >> 16));
    EXPECT_EQ(bytes[7], c.si);
    EXPECT_EQ(decoded.GetSpi(), c.spi);
    EXPECT_EQ(decoded.GetServiceIndex(), c.si);
    EXPECT_EQ(decoded.GetTtl(), c.ttl);
    EXPECT_EQ(decoded.GetSequence(), c.seq);
    EXPECT_EQ(decoded.IsLivenessReply(), c.reply);
    EXPECT_EQ(decoded.GetSourceVni(), NshHeader::MAX_VNI);
}

INSTANTIATE_TEST_SUITE_P(Fields,
                         NshRoundTrip,
                         ::testing::Values(NshCase{0, 0, 0, 0, false},
                                           NshCase{1, 3, 63, 5, false},
                                           NshCase{2, 255, 32, 63, true},
                                           NshCase{0xFFFFFF, 1, 1, 62, true},
                                           NshCase{0x800001, 128, 62, 1, false}));

TEST(NshHeader, ParseFromRefusesBuffersShorterThanTwentyFourBytes)
{
    for (size_t n = 0; n < 24; ++n)
    {
        SCOPED_TRACE("length " + std::to_string(n));
        std::vector<uint8_t> bytes = Prefix(NSH_GOLDEN_QUERY, n);
        NshHeader header;
        std::string error;

        EXPECT_EQ(NshHeader::ParseFrom(bytes.data(), bytes.size(), header, &error), 0u);

        EXPECT_EQ(error, "short buffer: need 24 bytes, have " + std::to_string(n));
    }
}

TEST(NshHeader, ParseFromRefusesVersionsMdTypesAndLengthsItDoesNotModel)
{
    struct Bad
    {
        size_t offset;
        uint8_t value;
        const char* error;
    };

    for (const Bad& bad :
         {Bad{0, 0x4f, "version 1 (only 0 is defined)"},
          Bad{0, 0xcf, "version 3 (only 0 is defined)"},
          Bad{2, 0x02, "MD type 2 (only MD type 1 is modelled)"},
          Bad{2, 0x00, "MD type 0 (only MD type 1 is modelled)"},
          Bad{1, 0xc2, "length 2 words with MD type 1 (RFC 8300 section 2.5.1: must be 6)"}})
    {
        SCOPED_TRACE(bad.error);
        std::vector<uint8_t> bytes = NSH_GOLDEN_QUERY;
        bytes[bad.offset] = bad.value;
        NshHeader header;
        header.SetSpi(7);
        std::string error;

        EXPECT_EQ(NshHeader::ParseFrom(bytes.data(), bytes.size(), header, &error), 0u);

        EXPECT_EQ(error, bad.error);
        EXPECT_EQ(header.GetSpi(), 7u) << "a refused header leaves the output unchanged";
    }
}

TEST(NshHeader, UnassignedBitsAreIgnoredOnReceiptAndSentAsZero)
{
    std::vector<uint8_t> bytes = NSH_GOLDEN_QUERY;
    bytes[0] |= 0x10; // U after the O bit
    bytes[2] |= 0xf0; // the four U bits before MD type
    NshHeader header;

    ASSERT_EQ(NshHeader::ParseFrom(bytes.data(), bytes.size(), header), 24u);

    EXPECT_EQ(SerializeHeader(header), NSH_GOLDEN_QUERY);
}

TEST(NshHeader, RemoveHeaderWithSizeLimitDoesNotReadPastTheLimit)
{
    Buffer buffer;
    buffer.AddAtStart(24);
    buffer.Begin().Write(NSH_GOLDEN_QUERY.data(), 24);
    Buffer::Iterator start = buffer.Begin();
    Buffer::Iterator end = buffer.Begin();
    end.Next(20);
    NshHeader header;

    EXPECT_EQ(header.Deserialize(start, end), 0u);
    EXPECT_EQ(header.Deserialize(buffer.Begin(), buffer.End()), 24u);
}

TEST(NshHeaderDeathTest, OutOfRangeFieldsAbort)
{
    NshHeader header;
    EXPECT_DEATH(header.SetSpi(0x1000000), "does not fit in 24 bits");
    EXPECT_DEATH(header.SetTtl(64), "does not fit in 6 bits");
    EXPECT_DEATH(header.SetLivenessQuery(64), "does not fit in 6 bits");
}

// ---------------------------------------------------------------------------------------------
// IGMP (RFC 2236, RFC 3376): the membership signalling of underlay multicast.

TEST(IgmpHeader, V2ReportSerializesToGoldenBytesWithTheRfc1071Checksum)
{
    // 0x1600 + 0xef00 + 0x0001 = 0x10501, folded 0x0502, complemented 0xfafd.
    const IgmpHeader report = IgmpHeader::V2(IgmpHeader::V2_REPORT, Ipv4Address("239.0.0.1"));
    const std::vector<uint8_t> golden{0x16, 0x00, 0xfa, 0xfd, 0xef, 0x00, 0x00, 0x01};
    IgmpHeader decoded;
    EXPECT_EQ(CheckHeaderRoundTrip(report, &decoded), golden);
    EXPECT_EQ(decoded.GetType(), IgmpHeader::V2_REPORT);
    EXPECT_EQ(decoded.GetGroup(), Ipv4Address("239.0.0.1"));
}

TEST(IgmpHeader, V3ReportCarriesEveryGroupRecordWithItsSources)
{
    // A join of 239.0.0.1 (CHANGE_TO_EXCLUDE_MODE, no sources): 0xeafc; then a record with two
    // sources, which the round trip must keep in order.
    const IgmpHeader join =
        IgmpHeader::V3Report({{IgmpHeader::CHANGE_TO_EXCLUDE_MODE, Ipv4Address("239.0.0.1"), {}}});
    const std::vector<uint8_t> golden{0x22,
                                      0x00,
                                      0xea,
                                      0xfc,
                                      0x00,
                                      0x00,
                                      0x00,
                                      0x01,
                                      0x04,
                                      0x00,
                                      0x00,
                                      0x00,
                                      0xef,
                                      0x00,
                                      0x00,
                                      0x01};
    EXPECT_EQ(CheckHeaderRoundTrip(join), golden);

    const std::vector<IgmpHeader::GroupRecord> records{
        {IgmpHeader::MODE_IS_INCLUDE,
         Ipv4Address("239.1.2.3"),
         {Ipv4Address("10.1.0.1"), Ipv4Address("10.1.0.2")}},
        {IgmpHeader::CHANGE_TO_INCLUDE_MODE, Ipv4Address("239.0.0.1"), {}}};
    IgmpHeader decoded;
    const std::vector<uint8_t> bytes =
        CheckHeaderRoundTrip(IgmpHeader::V3Report(records), &decoded);
    EXPECT_EQ(bytes.size(), 8u + (8u + 8u) + 8u);
    EXPECT_EQ(decoded.GetRecords(), records);
}

TEST(IgmpHeader, ParseFromRefusesABadChecksumAnUnknownTypeAndCutRecords)
{
    std::vector<uint8_t> b = SerializeHeader(IgmpHeader::V3Report(
        {{IgmpHeader::MODE_IS_EXCLUDE, Ipv4Address("239.0.0.1"), {Ipv4Address("10.0.0.9")}}}));
    IgmpHeader out;
    std::string error;
    ASSERT_EQ(IgmpHeader::ParseFrom(b.data(), b.size(), out, &error), 20u) << error;
    EXPECT_EQ(IgmpHeader::ParseFrom(b.data(), 19, out, &error), 0u);
    EXPECT_NE(error.find("cut short"), std::string::npos) << error;
    b[3] ^= 0x01;
    EXPECT_EQ(IgmpHeader::ParseFrom(b.data(), b.size(), out, &error), 0u);
    EXPECT_NE(error.find("checksum"), std::string::npos) << error;
    b[3] ^= 0x01;
    b[0] = 0x13;
    EXPECT_EQ(IgmpHeader::ParseFrom(b.data(), b.size(), out, &error), 0u);
    EXPECT_NE(error.find("unknown IGMP type 0x13"), std::string::npos) << error;
}
