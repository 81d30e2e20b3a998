// Placeholder: the benchmark is being written (see docs/PERFORMANCE.md).
#include <cstdio>
int main() { return 0; }
