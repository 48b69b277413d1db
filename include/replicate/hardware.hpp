// Hardware SKUs for models and deployments: client.hardware().
//
// GET /hardware answers a bare JSON array (not a page). Views are valid only during the callback.
#pragma once

#include <cstddef>
#include <string_view>

#include "replicate/client.hpp"
#include "replicate/export.hpp"
#include "replicate/resource.hpp"

namespace replicate {

struct hardware {
  std::string_view name;  // "Nvidia T4 GPU"
  std::string_view sku;   // "gpu-t4": what models().create and deployments().create take
};

struct hardware_list {
  const hardware* items = nullptr;
  std::size_t count = 0;
};

class REPLICATE_API hardware_api {
 public:
  explicit hardware_api(detail::client_impl* impl) : impl_(impl) {}
  // GET /hardware.
  [[nodiscard]] error list(object_cb<hardware_list> cb, void* user);

 private:
  detail::client_impl* impl_;
};

}  // namespace replicate
