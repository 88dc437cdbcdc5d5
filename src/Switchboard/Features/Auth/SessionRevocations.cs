namespace Switchboard.Features.Auth;

/// <summary>The access-token claim that names the session (refresh-token family) a token belongs to.</summary>
public static class SessionClaims
{
    public const string SessionId = "sid";
}

/// <summary>A session that was ended (logout, logout_all, password change, deactivation).</summary>
public sealed record SessionEnded(long SessionId, int UserId);

/// <summary>
/// Which sessions have ended, known on every instance without a database round trip per request.
/// REST authentication and socket handshakes ask <see cref="IsRevoked"/>; sockets listen to
/// <see cref="Ended"/>, raised on every instance, to close themselves with 4401.
/// </summary>
public interface ISessionRevocations
{
    bool IsRevoked(long sessionId);

    event Action<SessionEnded>? Ended;
}
