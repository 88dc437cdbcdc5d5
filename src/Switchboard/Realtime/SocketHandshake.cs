using System.Net.WebSockets;
using Microsoft.Extensions.Options;
using Switchboard.Infrastructure;

namespace Switchboard.Realtime;

/// <summary>
/// The first steps every socket takes: the Origin check, the token (in the URL, or a first
/// <c>auth</c> frame within <see cref="RealtimeOptions.AuthTimeoutSeconds"/>), and closing with
/// 4401 a socket that never authenticates.
/// </summary>
public sealed class SocketHandshake(AccessTokenValidator tokens, IOptions<SwitchboardOptions> options, IConfiguration configuration)
{
    /// <summary>
    /// Checks what can be checked before the upgrade. Returns the answer to send instead of
    /// upgrading, or null to go on (<paramref name="identity"/> is null when the token comes later, in a frame).
    /// </summary>
    public async Task<(IResult? Refusal, SocketIdentity? Identity)> BeforeUpgradeAsync(HttpContext http)
    {
        if (!http.WebSockets.IsWebSocketRequest)
        {
            return (Problems.BadRequest("This endpoint takes WebSocket connections."), null);
        }
        if (!OriginAllowed(http))
        {
            return (Problems.Forbidden("This origin may not open sockets."), null);
        }
        var token = http.Request.Query["token"].ToString();
        if (token.Length == 0)
        {
            return (null, null);
        }
        var identity = await tokens.ValidateAsync(token);
        return identity is null ? (Problems.Unauthorized("The token is missing, invalid or expired."), null) : (null, identity);
    }

    /// <summary>
    /// Waits for the first frame, which must be <c>auth</c> with a valid token; on anything else, or
    /// nothing in time, closes the socket with 4401 and returns null.
    /// </summary>
    public async Task<SocketIdentity?> AuthenticateByFrameAsync(WebSocket socket, FrameBuffer buffer, CancellationToken aborted)
    {
        // The receive is not cancelled on timeout: cancelling a WebSocket receive aborts the socket,
        // and the client would see 1006 instead of our close frame.
        var receive = buffer.ReceiveAsync(socket, aborted);
        var timeout = Task.Delay(TimeSpan.FromSeconds(options.Value.Realtime.AuthTimeoutSeconds), aborted);
        SocketIdentity? identity = null;
        if (await Task.WhenAny(receive, timeout) == receive && await receive == ReceiveResult.Text)
        {
            var (document, frame, _) = Protocol.Parse(buffer.Span);
            buffer.Release();
            using (document)
            {
                if (frame?.Type == "auth" && frame.OptionalString("token") is { } token)
                {
                    identity = await tokens.ValidateAsync(token);
                }
            }
        }
        if (identity is null)
        {
            await CloseAsync(socket, 4401, "Not authenticated.");
            // Give the client a moment to answer the close, then let go of the pending receive.
            await Task.WhenAny(receive, Task.Delay(TimeSpan.FromSeconds(2), CancellationToken.None));
        }
        return identity;
    }

    public static async Task CloseAsync(WebSocket socket, int code, string reason)
    {
        if (socket.State is not (WebSocketState.Open or WebSocketState.CloseReceived))
        {
            return;
        }
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await socket.CloseOutputAsync((WebSocketCloseStatus)code, reason, timeout.Token);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
            socket.Abort();
        }
    }

    /// <summary>
    /// A handshake from a browser page carries Origin: it must be this server's own origin or one
    /// configured in Cors:AllowedOrigins. Scripts and servers send none and are let through.
    /// </summary>
    public bool OriginAllowed(HttpContext http)
    {
        var origin = http.Request.Headers.Origin.ToString();
        if (origin.Length == 0)
        {
            return true;
        }
        if (Uri.TryCreate(origin, UriKind.Absolute, out var uri) &&
            string.Equals(uri.Authority, http.Request.Host.Value, StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }
        var allowed = configuration.GetSection("Cors:AllowedOrigins").Get<string[]>() ?? [];
        return allowed.Any(a => string.Equals(a.TrimEnd('/'), origin.TrimEnd('/'), StringComparison.OrdinalIgnoreCase));
    }
}
