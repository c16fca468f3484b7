// The one translation unit that compiles Boost.Asio and Boost.Beast (see web/CMakeLists.txt).
#include <boost/asio/impl/src.hpp>
#include <boost/beast/src.hpp>
