// Corpus replay without libFuzzer: calls LLVMFuzzerTestOneInput once on every regular file under
// the folders (or files) named on the command line, so that the saved corpus, and every crash
// once found and saved there, runs in the normal test suite with any compiler. A finding aborts,
// which fails the test; the last "replay:" line printed names the input.
//
// Usage: fuzz-replay-TARGET DIR_OR_FILE...

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

int
main(int argc, char** argv)
{
    namespace fs = std::filesystem;
    std::vector<fs::path> inputs;
    for (int i = 1; i < argc; ++i)
    {
        fs::path arg(argv[i]);
        if (fs::is_directory(arg))
        {
            for (const fs::directory_entry& entry : fs::recursive_directory_iterator(arg))
            {
                if (entry.is_regular_file())
                {
                    inputs.push_back(entry.path());
                }
            }
        }
        else if (fs::is_regular_file(arg))
        {
            inputs.push_back(arg);
        }
        else
        {
            std::fprintf(stderr, "replay: %s: no such file or folder\n", argv[i]);
            return 2;
        }
    }
    if (inputs.empty())
    {
        std::fprintf(stderr, "replay: no inputs\n");
        return 2;
    }
    std::sort(inputs.begin(), inputs.end());
    for (const fs::path& path : inputs)
    {
        std::fprintf(stderr, "replay: %s\n", path.c_str());
        std::ifstream in(path, std::ios::binary);
        std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)),
                                   std::istreambuf_iterator<char>());
        // An exact-size heap copy, as libFuzzer passes it (a read past the end is a finding).
        std::vector<uint8_t> exact(bytes);
        LLVMFuzzerTestOneInput(exact.empty() ? nullptr : exact.data(), exact.size());
    }
    std::printf("replayed %zu inputs\n", inputs.size());
    return 0;
}
