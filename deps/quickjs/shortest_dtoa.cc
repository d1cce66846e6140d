// The shortest decimal digits of a double, for QuickJS's Number-to-string
// (number-to-string.patch): a C entry point into Google's double-conversion.

#include <double-conversion/double-to-string.h>

using double_conversion::DoubleToStringConverter;

// Writes the digits of |d| that read back as d, fewest first and nearest to
// d among those, NUL-terminated, into digits (at least 18 bytes): the value
// is 0.DIGITS * 10^decpt, negative when *sign. Returns how many digits.
// d must be finite, as QuickJS's js_ecvt asks.
extern "C" int flx_dtoa_shortest(double d, char *digits, int *decpt,
                                 int *sign)
{
    bool negative;
    int length;

    DoubleToStringConverter::DoubleToAscii(
        d, DoubleToStringConverter::SHORTEST, 0, digits,
        DoubleToStringConverter::kBase10MaximalLength + 1, &negative, &length,
        decpt);
    *sign = negative;
    return length;
}
