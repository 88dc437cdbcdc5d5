using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Switchboard.Features.Auth;
using Switchboard.Infrastructure;

namespace Switchboard.Realtime;

public sealed record SocketIdentity(int UserId, DateTime ExpiresAt);

/// <summary>Checks an access token the way the REST API's bearer authentication does.</summary>
public sealed class AccessTokenValidator(SigningKey key, IOptions<SwitchboardOptions> options)
{
    private readonly JsonWebTokenHandler _handler = new() { MapInboundClaims = false };

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
        return new SocketIdentity(userId, jwt.ValidTo);
    }
}

/// <summary>What the socket needs from the chat feature: who may join, and the actions a frame asks for.</summary>
public interface IChatSocketBackend
{
    Task<bool> IsParticipantAsync(int roomId, int userId, CancellationToken ct);

    /// <summary>Carries out a message or reaction frame; returns null on success or the error to send back.</summary>
    Task<ErrorFrame?> ExecuteAsync(int roomId, int userId, ClientFrame frame, CancellationToken ct);
}
