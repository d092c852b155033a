// http/request_arena.hpp: one request's small allocations carved from a buffer its connection keeps.
#pragma once

#include <cstddef>
#include <memory>
#include <new>

namespace bw::http {

//! A bump region: what a request's header parser allocates comes from here, and the region is reused
//! by the next request of the connection (reset()) rather than freed piece by piece. When it is full,
//! allocations fall back to the heap, so no request is refused for want of room.
class RequestArena {
 public:
  static constexpr std::size_t kBytes = 4096;

  void* allocate(std::size_t bytes, std::size_t align) {
    std::size_t offset = (used_ + align - 1) & ~(align - 1);
    if (offset + bytes <= kBytes) {
      used_ = offset + bytes;
      return buffer_ + offset;
    }
    return ::operator new(bytes);
  }
  void deallocate(void* p) {
    if (!owns(p)) ::operator delete(p);
  }
  //! Only once nothing allocated from the region is in use any more.
  void reset() { used_ = 0; }
  bool owns(const void* p) const {
    auto* c = static_cast<const unsigned char*>(p);
    return c >= buffer_ && c < buffer_ + kBytes;
  }
  std::size_t used() const { return used_; }

 private:
  alignas(std::max_align_t) unsigned char buffer_[kBytes];
  std::size_t used_ = 0;
};

//! A standard allocator over a RequestArena (for Beast's header fields).
template <typename T>
class ArenaAllocator {
 public:
  using value_type = T;
  explicit ArenaAllocator(RequestArena& arena) noexcept : arena_(&arena) {}
  template <typename U>
  ArenaAllocator(const ArenaAllocator<U>& other) noexcept : arena_(other.arena()) {}

  T* allocate(std::size_t n) { return static_cast<T*>(arena_->allocate(n * sizeof(T), alignof(T))); }
  void deallocate(T* p, std::size_t) noexcept { arena_->deallocate(p); }
  RequestArena* arena() const noexcept { return arena_; }

  template <typename U>
  bool operator==(const ArenaAllocator<U>& other) const noexcept {
    return arena_ == other.arena();
  }

 private:
  RequestArena* arena_;
};

}  // namespace bw::http
