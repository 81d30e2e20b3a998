// relaisctl: the command line of coordinators, OSIs and responders. Everything but this entry
// point lives in relaisctl_lib so that tests run the very same code.
#include <string>
#include <vector>

#include "clients/relaisctl/app.h"

int main(int argc, char** argv) {
  const std::vector<std::string> args(argv + 1, argv + argc);
  const relais::cli::Environment env = relais::cli::SystemEnvironment();
  return relais::cli::Run(args, env);
}
