using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.Extensions.Options;
using Switchboard.Features.Auth;
using Switchboard.Infrastructure;

namespace Switchboard.Realtime;

/// <summary>Who a socket belongs to: the user, when the token runs out, and the session (<c>sid</c>) the token belongs to.</summary>
public sealed record SocketIdentity(int UserId, DateTime ExpiresAt, long? SessionId = null);

/// <summary>Checks an access token the way the REST API's bearer authentication does, ended sessions included.</summary>
public sealed class AccessTokenValidator(SigningKey key, IOptions<SwitchboardOptions> options, IServiceProvider services)
{
    private readonly JsonWebTokenHandler _handler = new() { MapInboundClaims = false };
    private readonly ISessionRevocations _revocations = services.GetRequiredService<ISessionRevocations>();

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
        // As on REST: a token must name a live session (tokens from before sessions existed name none).
        if (!jwt.TryGetClaim(SessionClaims.SessionId, out var claim) || !SessionIds.TryParse(claim.Value, out var sessionId) ||
            _revocations.IsRevoked(sessionId))
        {
            return null;
        }
        return new SocketIdentity(userId, jwt.ValidTo, sessionId);
    }
}
