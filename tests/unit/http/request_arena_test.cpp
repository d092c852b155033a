#include "http/request_arena.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

namespace bw::http {
namespace {

TEST(RequestArena, SmallAllocationsComeFromTheRegionAlignedAndResetReusesIt) {
  auto arena = std::make_unique<RequestArena>();
  void* a = arena->allocate(3, 1);
  void* b = arena->allocate(8, 8);
  EXPECT_TRUE(arena->owns(a));
  EXPECT_TRUE(arena->owns(b));
  EXPECT_EQ(reinterpret_cast<std::uintptr_t>(b) % 8, 0u);
  EXPECT_EQ(arena->used(), 16u);
  arena->reset();
  EXPECT_EQ(arena->allocate(3, 1), a);
}

TEST(RequestArena, WhatDoesNotFitComesFromTheHeapAndIsFreedThere) {
  auto arena = std::make_unique<RequestArena>();
  void* big = arena->allocate(RequestArena::kBytes + 1, 1);
  EXPECT_FALSE(arena->owns(big));
  std::memset(big, 0xab, RequestArena::kBytes + 1);  // usable in full (ASan would see an overrun)
  arena->deallocate(big);
  void* fits = arena->allocate(RequestArena::kBytes - 8, 8);
  EXPECT_TRUE(arena->owns(fits));
  EXPECT_FALSE(arena->owns(arena->allocate(16, 8)));  // the rest no longer fits: heap
}

TEST(ArenaAllocator, AContainerGrowingPastTheRegionKeepsItsContents) {
  auto arena = std::make_unique<RequestArena>();
  std::vector<std::string, ArenaAllocator<std::string>> values{ArenaAllocator<std::string>(*arena)};
  for (int i = 0; i < 1000; ++i) values.push_back("value " + std::to_string(i));
  ASSERT_EQ(values.size(), 1000u);
  EXPECT_EQ(values[0], "value 0");
  EXPECT_EQ(values[999], "value 999");
  EXPECT_FALSE(arena->owns(values.data()));
}

}  // namespace
}  // namespace bw::http
