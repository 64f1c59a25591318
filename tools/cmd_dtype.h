// The pieces of `tilevm dtype`: one function per sub-subcommand (argv[0] is "tilevm dtype X").
#pragma once

namespace tilevm::tools {

int dtype_list(int argc, char** argv);
int dtype_table(int argc, char** argv);
int dtype_convert(int argc, char** argv);
int dtype_verify(int argc, char** argv);

}  // namespace tilevm::tools
