using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.Extensions.Options;
using Switchboard.Features.Auth;
using Switchboard.Infrastructure;

namespace Switchboard.Realtime;

/// <summary>Who a socket belongs to: the user, when the token runs out, and its session (<c>sid</c>) if the token names one.</summary>
public sealed record SocketIdentity(int UserId, DateTime ExpiresAt, long? SessionId = null);

/// <summary>Checks an access token the way the REST API's bearer authentication does, ended sessions included.</summary>
public sealed class AccessTokenValidator(SigningKey key, IOptions<SwitchboardOptions> options, IServiceProvider services)
{
    private readonly JsonWebTokenHandler _handler = new() { MapInboundClaims = false };
    // Registered by the sessions feature; until then every session is live.
    private readonly ISessionRevocations? _revocations = services.GetService<ISessionRevocations>();

    /// <summary>Whether the session ended (checked again once a socket is registered, to close the gap after validation).</summary>
    public bool IsRevoked(long? sessionId) => sessionId is { } sid && _revocations?.IsRevoked(sid) == true;

    public async Task<SocketIdentity?> ValidateAsync(string? token)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 4096)
        {
            return null;
        }
        var result = await _handler.ValidateTokenAsync(token, TokenService.ValidationParameters(key, options.Value.Jwt));
        if (!result.IsValid || result.SecurityToken is not JsonWebToken jwt ||
            !int.TryParse(jwt.Subject, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var userId))
        {
            return null;
        }
        long? sessionId = null;
        if (jwt.TryGetClaim(SessionClaims.SessionId, out var claim))
        {
            if (!long.TryParse(claim.Value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var sid))
            {
                return null;
            }
            if (_revocations?.IsRevoked(sid) == true)
            {
                return null;
            }
            sessionId = sid;
        }
        return new SocketIdentity(userId, jwt.ValidTo, sessionId);
    }
}
