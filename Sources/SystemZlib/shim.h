// The system zlib (zlib1g-dev on Debian and Ubuntu, zlib on Homebrew; part of macOS).
#include <zlib.h>
