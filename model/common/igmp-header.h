#ifndef OVERLAY_FABRIC_IGMP_HEADER_H
#define OVERLAY_FABRIC_IGMP_HEADER_H

#include "ns3/header.h"
#include "ns3/ipv4-address.h"

#include <cstdint>
#include <string>
#include <vector>

namespace ns3
{

/**
 * \ingroup overlay-fabric
 * \brief An IGMP message: the membership signalling of underlay multicast (DESIGN "common";
 * seed 003 Figs. 2-5: monitor hosts join the mirror VNI's group, leaves snoop the reports).
 *
 * Two layouts, by type:
 * - IGMPv2 (RFC 2236 section 2), 8 bytes: Membership Query 0x11, Version 2 Membership Report
 *   0x16, Leave Group 0x17: type, max response time (1/10 s), checksum, group address.
 * - IGMPv3 Membership Report (RFC 3376 section 4.2), type 0x22: type, reserved, checksum,
 *   reserved, number of group records, then each record: record type (MODE_IS_INCLUDE 1 ...
 *   BLOCK_OLD_SOURCES 6), aux data length (always 0 here), number of sources, multicast address,
 *   source addresses.
 *
 * The checksum is the 16-bit one's complement of the one's complement sum of the whole message
 * (both RFCs), computed by Serialize(); ParseFrom() refuses a message whose checksum is wrong. The
 * IPv4 header that carries it (protocol 2, TTL 1, Router Alert) is the sender's.
 */
class IgmpHeader : public Header
{
  public:
    /// IGMP message types.
    enum Type : uint8_t
    {
        MEMBERSHIP_QUERY = 0x11, //!< RFC 2236
        V2_REPORT = 0x16,        //!< RFC 2236
        LEAVE_GROUP = 0x17,      //!< RFC 2236
        V3_REPORT = 0x22         //!< RFC 3376
    };

    /// IGMPv3 group record types (RFC 3376 section 4.2.12).
    enum RecordType : uint8_t
    {
        MODE_IS_INCLUDE = 1,
        MODE_IS_EXCLUDE = 2,
        CHANGE_TO_INCLUDE_MODE = 3,
        CHANGE_TO_EXCLUDE_MODE = 4,
        ALLOW_NEW_SOURCES = 5,
        BLOCK_OLD_SOURCES = 6
    };

    /// One IGMPv3 group record.
    struct GroupRecord
    {
        uint8_t type{CHANGE_TO_EXCLUDE_MODE}; //!< RecordType (EXCLUDE {}: join, any source)
        Ipv4Address group;                    //!< the multicast address
        std::vector<Ipv4Address> sources;     //!< the source list

        bool operator==(const GroupRecord& o) const
        {
            return type == o.type && group == o.group && sources == o.sources;
        }
    };

    IgmpHeader() = default;

    /// \return an IGMPv2 message of \p type for \p group
    static IgmpHeader V2(Type type, Ipv4Address group, uint8_t maxRespTime = 0);
    /// \return an IGMPv3 Membership Report of \p records
    static IgmpHeader V3Report(std::vector<GroupRecord> records);

    static TypeId GetTypeId();
    TypeId GetInstanceTypeId() const override;
    void Print(std::ostream& os) const override;
    uint32_t GetSerializedSize() const override;
    void Serialize(Buffer::Iterator start) const override;
    uint32_t Deserialize(Buffer::Iterator start) override;

    /**
     * \brief Validating parser for received bytes: a known type, the records within \p length,
     * aux data length 0, and a right checksum.
     * \return the message's size, or 0 (then \p out is untouched and \p error says why)
     */
    static uint32_t ParseFrom(const uint8_t* data,
                              uint32_t length,
                              IgmpHeader& out,
                              std::string* error = nullptr);

    /// \return the type
    uint8_t GetType() const
    {
        return m_type;
    }

    /// \return IGMPv2: the group address
    Ipv4Address GetGroup() const
    {
        return m_group;
    }

    /// \return IGMPv2: the max response time, 1/10 s
    uint8_t GetMaxRespTime() const
    {
        return m_maxRespTime;
    }

    /// \return IGMPv3 report: its group records
    const std::vector<GroupRecord>& GetRecords() const
    {
        return m_records;
    }

  private:
    uint8_t m_type{V2_REPORT};          //!< message type
    uint8_t m_maxRespTime{0};           //!< IGMPv2: max response time
    Ipv4Address m_group;                //!< IGMPv2: group address
    std::vector<GroupRecord> m_records; //!< IGMPv3 report: group records
};

} // namespace ns3

#endif
