#ifndef OVERLAY_FABRIC_SERVICE_CONTROL_HEADER_H
#define OVERLAY_FABRIC_SERVICE_CONTROL_HEADER_H

#include "ns3/buffer.h"
#include "ns3/header.h"

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

namespace ns3
{

/**
 * \ingroup overlay-fabric
 * \brief The messages between a host's agent and the controller over the management network
 * (seed 001: report information 195 from the LCP agent, paragraphs 0059-0060; control information
 * to the hosts, paragraph 0063), carried in UDP.
 *
 * \verbatim
    0                   1                   2                   3
    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
   |     Type      |     Count     |           Reserved            |
   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
   |                           Sequence                            |
   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
   |                          Id (entry 1)                         |
   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
   |    Status     |     Cause     |           Reserved            |
   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
   ~                        ... Count entries                      ~
   \endverbatim
 *
 * REPORT (agent to controller): entries are SVMs (id, 1 = UP / 0 = DOWN, the proxy's cause).
 * HEARTBEAT (agent to controller): entries are the host's SVMs whose guest runs (status 1).
 * PUSH (controller to agents): entries are service paths (SPI, status, 0), the paths whose
 * status changed. The sequence numbers each sender's messages. Count is at most MAX_ENTRIES;
 * received bytes are never trusted (ParseFrom checks the type and every length).
 */
class ServiceControlHeader : public Header
{
  public:
    static constexpr uint16_t UDP_PORT = 5599;   //!< the controller's and the agents' port
    static constexpr uint32_t BASE_SIZE = 8;     //!< type, count, sequence
    static constexpr uint32_t ENTRY_SIZE = 8;    //!< one entry
    static constexpr uint32_t MAX_ENTRIES = 255; //!< 8-bit count

    /// Message types.
    enum Type : uint8_t
    {
        REPORT = 1,   //!< SVM status reports
        PUSH = 2,     //!< path status changes
        HEARTBEAT = 3 //!< SVMs whose guest runs
    };

    /// One entry.
    struct Entry
    {
        uint32_t id{0};    //!< SVM id or SPI
        uint8_t status{0}; //!< 1 = UP, 0 = DOWN
        uint8_t cause{0};  //!< REPORT: the proxy's cause; else 0

        /// \return true if every field is equal
        bool operator==(const Entry& o) const
        {
            return id == o.id && status == o.status && cause == o.cause;
        }
    };

    ServiceControlHeader();

    static TypeId GetTypeId();
    TypeId GetInstanceTypeId() const override;
    void Print(std::ostream& os) const override;
    uint32_t GetSerializedSize() const override;
    void Serialize(Buffer::Iterator start) const override;
    /**
     * \brief Read a message, with the checks of ParseFrom().
     * \param start where it begins
     * \return bytes read, or 0 if refused (this header then unchanged)
     */
    uint32_t Deserialize(Buffer::Iterator start) override;

    /**
     * \brief Validating parser.
     * \param data first byte; may be null only if \p length is 0
     * \param length bytes available
     * \param out receives the message; unchanged on refusal
     * \param error if not null, the reason on refusal
     * \return bytes consumed, or 0 if refused
     */
    static uint32_t ParseFrom(const uint8_t* data,
                              uint32_t length,
                              ServiceControlHeader& out,
                              std::string* error = nullptr);

    /// \param type the message type
    void SetType(Type type);
    /// \return the message type
    Type GetType() const;
    /// \param sequence the sender's message number
    void SetSequence(uint32_t sequence);
    /// \return the sender's message number
    uint32_t GetSequence() const;
    /// \param entry appended; aborts past MAX_ENTRIES
    void AddEntry(const Entry& entry);
    /// \return the entries
    const std::vector<Entry>& GetEntries() const;

  private:
    Type m_type{REPORT};          //!< message type
    uint32_t m_sequence{0};       //!< sender's message number
    std::vector<Entry> m_entries; //!< the entries
};

} // namespace ns3

#endif
