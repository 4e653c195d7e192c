// The engine never uses more threads than asked; the suite asks for two,
// the size of the project machine.
#include <gtest/gtest.h>

#include "cpu/parallel.h"

int main(int argc, char** argv) {
    ::testing::InitGoogleTest(&argc, argv);
    exprae::cpu::set_num_threads(2);
    return RUN_ALL_TESTS();
}
