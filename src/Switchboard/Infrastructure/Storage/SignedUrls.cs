using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Switchboard.Features.Auth;

namespace Switchboard.Infrastructure.Storage;

/// <summary>
/// Expiring links to files, so that &lt;img src&gt; and downloads work in a browser without a bearer
/// header. The signature covers the path and the expiry, keyed by the server's signing key.
/// </summary>
public sealed class SignedUrls(SigningKey signingKey, TimeProvider clock)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(1);

    /// <summary>Appends <c>expires</c> and <c>sig</c> to a path like <c>/api/files/chat/abc</c>.</summary>
    public string Sign(string path)
    {
        // Rounded up to the next lifetime boundary so that repeated reads produce the same URL
        // (and browsers can cache the image) while every link still lives at least one lifetime.
        var now = clock.GetUtcNow().ToUnixTimeSeconds();
        var step = (long)Lifetime.TotalSeconds;
        var expires = (now / step + 2) * step;
        return $"{path}?expires={expires.ToString(CultureInfo.InvariantCulture)}&sig={Signature(path, expires)}";
    }

    public bool Verify(string path, string? expires, string? sig)
    {
        if (!long.TryParse(expires, NumberStyles.None, CultureInfo.InvariantCulture, out var when) || sig is null)
        {
            return false;
        }
        if (when < clock.GetUtcNow().ToUnixTimeSeconds())
        {
            return false;
        }
        var expected = Encoding.ASCII.GetBytes(Signature(path, when));
        return CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(sig));
    }

    private string Signature(string path, long expires)
    {
        var data = Encoding.UTF8.GetBytes($"{path}\n{expires.ToString(CultureInfo.InvariantCulture)}");
        return Convert.ToHexString(HMACSHA256.HashData(signingKey.Key.Key, data)).ToLowerInvariant()[..32];
    }
}
