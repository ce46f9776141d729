#pragma once
// std::vector with 64-byte aligned storage: the forward pass's scratch buffers, the KV cache and the
// kernel microbenchmarks' inputs. glibc's malloc returns large blocks 16 bytes past a page
// boundary, so the rows of a plain std::vector<int8_t> start 16 bytes off a 32-byte boundary and
// half of the AVX2 kernels' 32-byte loads of those rows cross a cache line (measured: the I2_S
// prefill inner loop runs ~1.35x slower on such activations).
#include <cstddef>
#include <new>
#include <vector>

namespace bitnet {

template <typename T, std::size_t Align = 64>
struct AlignedAllocator {
  using value_type = T;
  template <typename U>
  struct rebind {
    using other = AlignedAllocator<U, Align>;
  };
  AlignedAllocator() = default;
  template <typename U>
  AlignedAllocator(const AlignedAllocator<U, Align>&) noexcept {}
  T* allocate(std::size_t n) {
    return static_cast<T*>(::operator new(n * sizeof(T), std::align_val_t{Align}));
  }
  void deallocate(T* p, std::size_t) noexcept { ::operator delete(p, std::align_val_t{Align}); }
  template <typename U>
  bool operator==(const AlignedAllocator<U, Align>&) const noexcept {
    return true;
  }
};

template <typename T>
using AlignedVector = std::vector<T, AlignedAllocator<T>>;

}  // namespace bitnet
