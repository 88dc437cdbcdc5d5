using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Switchboard.Infrastructure;

namespace Switchboard.Features.Calls;

/// <summary>
/// The STUN and TURN servers a client uses for calls. With a TURN secret, each answer carries
/// credentials in coturn's <c>use-auth-secret</c> form: the username is the expiry time and the
/// user id, the password an HMAC of it, so coturn checks them without asking us.
/// </summary>
public static class IceServers
{
    public static IceServersDto For(int userId, CallOptions options, DateTimeOffset now)
    {
        var servers = new List<IceServerDto>();
        if (options.StunUrls.Length > 0)
        {
            servers.Add(new IceServerDto(options.StunUrls, null, null));
        }
        if (options.TurnUrls.Length > 0)
        {
            if (options.TurnSecret.Length > 0)
            {
                var (username, credential) = Credentials(options.TurnSecret, userId, now.AddSeconds(options.TurnTtlSeconds));
                servers.Add(new IceServerDto(options.TurnUrls, username, credential));
            }
            else
            {
                // A TURN server without a shared secret is open (or uses its own long-term users): hand out the address only.
                servers.Add(new IceServerDto(options.TurnUrls, null, null));
            }
        }
        var policy = options.IceTransportPolicy == "relay" ? "relay" : "all";
        return new IceServersDto(servers, options.TurnTtlSeconds, policy);
    }

    public static (string Username, string Credential) Credentials(string secret, int userId, DateTimeOffset expiry)
    {
        var username = string.Create(CultureInfo.InvariantCulture, $"{expiry.ToUnixTimeSeconds()}:{userId}");
        // coturn's shared-secret scheme is defined on HMAC-SHA1; the secret, not the hash, is what protects it.
#pragma warning disable CA5350
        var mac = HMACSHA1.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(username));
#pragma warning restore CA5350
        return (username, Convert.ToBase64String(mac));
    }
}
