using Microsoft.Extensions.Options;
using Switchboard.Infrastructure;

namespace Switchboard.Realtime;

/// <summary>
/// Handles the client frames of a feature (chat's <c>message_send</c>, <c>typing</c>...). Features
/// register one as a singleton; the session routes each frame to the handler of its type.
/// </summary>
public interface ISocketFrameHandler
{
    IReadOnlyCollection<string> FrameTypes { get; }

    /// <returns>null on success, or the error frame to send back (the socket stays open).</returns>
    Task<ErrorFrame?> HandleAsync(SocketFrame frame, SocketSession session, CancellationToken ct);
}

/// <summary>The singletons every socket session uses, resolved once.</summary>
public sealed class SocketServices(
    ConnectionRegistry registry,
    AccessTokenValidator tokens,
    SocketHandshake handshake,
    IEnumerable<ISocketFrameHandler> handlers,
    Presence.PresenceTracker presence,
    IServiceScopeFactory scopes,
    DatabaseOutage outage,
    IOptions<SwitchboardOptions> options,
    ILogger<SocketSession> logger)
{
    public ConnectionRegistry Registry => registry;
    public AccessTokenValidator Tokens => tokens;
    public SocketHandshake Handshake => handshake;
    public Presence.PresenceTracker Presence => presence;
    public IServiceScopeFactory Scopes => scopes;
    public DatabaseOutage Outage => outage;
    public RealtimeOptions Options => options.Value.Realtime;
    public ILogger Logger => logger;

    public IReadOnlyDictionary<string, ISocketFrameHandler> Handlers { get; } =
        handlers.SelectMany(h => h.FrameTypes.Select(t => (Type: t, Handler: h))).ToDictionary(p => p.Type, p => p.Handler);
}
