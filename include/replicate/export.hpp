// Symbol visibility: the library is built with hidden visibility and exports only what is marked.
#pragma once

#if defined(REPLICATE_BUILDING_LIBRARY) && defined(__GNUC__)
#define REPLICATE_API __attribute__((visibility("default")))
#else
#define REPLICATE_API
#endif
