#!/bin/bash -eu
# OSS-Fuzz sets CC, CXX, CFLAGS, CXXFLAGS, LIB_FUZZING_ENGINE and OUT;
# ./build.sh sees LIB_FUZZING_ENGINE and builds the fuzz targets, their
# seed corpora, options and dictionaries into $OUT.
cd "$SRC/schedfuzz"
./build.sh
