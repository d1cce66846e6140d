// Numbers as text for QuickJS's Number.prototype.toString and String(n)
// (number-to-string.patch): the shortest decimal digits, from Google's
// double-conversion, and digits in another base than 10.

#include <double-conversion/double-to-string.h>

#include <cmath>
#include <cstring>

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

static const char radix_digits[] = "0123456789abcdefghijklmnopqrstuvwxyz";

// The fraction 0 <= f < 1 in base radix, after the point, into out: digits
// while they still say something of d, that is while what is left exceeds
// half the gap to the next double (scaled as the digits are); the last
// digit rounded to nearest, ties to even, carrying into those before it.
// Returns how many digits, and sets *carry when the carry reached the
// integer part (no digits then).
static int fraction_digits(double d, double f, int radix, char *out,
                           bool *carry)
{
    double half_gap = std::fmax(0.5 * (std::nextafter(d, INFINITY) - d),
                                std::nextafter(0.0, 1.0));
    int n = 0;

    *carry = false;
    while (f >= half_gap) {
        f *= radix;
        half_gap *= radix;
        int digit = (int)f;
        f -= digit;
        out[n++] = radix_digits[digit];
        bool up = f > 0.5 || (f == 0.5 && (digit & 1));
        if (up && f + half_gap > 1) {
            while (n > 0) {   // round up: 0.x(r-1) becomes 0.(x+1)
                const char *at = std::strchr(radix_digits, out[n - 1]);
                int last = (int)(at - radix_digits);
                if (last + 1 < radix) {
                    out[n - 1] = radix_digits[last + 1];
                    return n;
                }
                n--;
            }
            *carry = true;
            return 0;
        }
    }
    return n;
}

// d (finite, not an integer or past 2^53) in base radix (2 to 36), as V8
// writes it: '-', the integer part (its digits past the double's precision
// written 0), then '.' and the fraction if any. out holds 2 * 1100 + 3
// bytes: 1075 digits at most on either side (2^-1074 in base 2).
extern "C" void flx_dtoa_radix(double d, int radix, char *out)
{
    char fraction[1100];
    char integer[1100];
    bool negative = d < 0, carry;

    if (negative)
        d = -d;
    double ip = std::floor(d);
    int nf = fraction_digits(d, d - ip, radix, fraction, &carry);
    if (carry)
        ip += 1;

    int ni = 0;
    while (ip / radix >= 9007199254740992.0) {   // 2^53: digits unknown
        ip /= radix;
        integer[ni++] = '0';
    }
    do {
        double r = std::fmod(ip, radix);
        integer[ni++] = radix_digits[(int)r];
        ip = (ip - r) / radix;
    } while (ip > 0);

    char *p = out;
    if (negative)
        *p++ = '-';
    while (ni > 0)
        *p++ = integer[--ni];
    if (nf > 0) {
        *p++ = '.';
        std::memcpy(p, fraction, nf);
        p += nf;
    }
    *p = '\0';
}
