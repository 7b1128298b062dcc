#ifndef OVERLAY_FABRIC_TEST_FUZZ_KNOWN_YAML_HANG_H
#define OVERLAY_FABRIC_TEST_FUZZ_KNOWN_YAML_HANG_H

// A known finding the scenario harnesses step around so that fuzzing can go on past it: yaml-cpp
// 0.7.0 (Debian's) loops forever, allocating, in YAML::LoadAll when a document starts with a token
// no node begins with, e.g. the one-byte text "," (jbeder/yaml-cpp#1040, fixed upstream by #1319:
// SingleDocParser::HandleNode reports a null node without consuming the token, so every call of
// HandleNextDocument returns the same empty document again). The loader reads scenario text and
// every --set value with LoadAll, so `overlay-fabric validate` on such a file hangs until memory
// runs out; the inputs are saved as corpus/{scenario,override}/regression-yaml-cpp-*. Remove the
// guard when the loader no longer hangs on them.

#include <cstddef>
#include <sstream>
#include <string>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/parser.h>

namespace ns3
{
namespace fuzz
{

/// An event handler that ignores every event: only the document count matters.
class IgnoreEvents : public YAML::EventHandler
{
  public:
    void OnDocumentStart(const YAML::Mark&) override
    {
    }

    void OnDocumentEnd() override
    {
    }

    void OnNull(const YAML::Mark&, YAML::anchor_t) override
    {
    }

    void OnAlias(const YAML::Mark&, YAML::anchor_t) override
    {
    }

    void OnScalar(const YAML::Mark&,
                  const std::string&,
                  YAML::anchor_t,
                  const std::string&) override
    {
    }

    void OnSequenceStart(const YAML::Mark&,
                         const std::string&,
                         YAML::anchor_t,
                         YAML::EmitterStyle::value) override
    {
    }

    void OnSequenceEnd() override
    {
    }

    void OnMapStart(const YAML::Mark&,
                    const std::string&,
                    YAML::anchor_t,
                    YAML::EmitterStyle::value) override
    {
    }

    void OnMapEnd() override
    {
    }
};

/**
 * \param text YAML text
 * \return true if YAML::LoadAll would never return on \p text (the parser keeps producing
 *         documents long after the text can hold them)
 */
inline bool
HitsKnownYamlCppHang(const std::string& text)
{
    std::istringstream in(text);
    try
    {
        YAML::Parser parser(in);
        IgnoreEvents ignore;
        // A document takes at least one byte ("---" or a separator), so more than the text's
        // length of them means the parser is stuck.
        for (size_t documents = 0; parser.HandleNextDocument(ignore); ++documents)
        {
            if (documents > text.size() + 8)
            {
                return true;
            }
        }
    }
    catch (const YAML::Exception&)
    {
    }
    return false;
}

} // namespace fuzz
} // namespace ns3

#endif
