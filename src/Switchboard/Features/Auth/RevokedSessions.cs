using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using Switchboard.Data;
using Switchboard.Infrastructure;

namespace Switchboard.Features.Auth;

/// <summary>
/// The ended sessions whose access tokens may still be unexpired, held in memory on every
/// instance so that checking a token costs a dictionary lookup. Filled at start-up from the
/// database, told about ends on this instance directly and about ends elsewhere through Redis
/// pub/sub; with Redis configured, a poll of recently ended sessions (every
/// <c>Sessions:RevocationPollMilliseconds</c>) bounds how late an instance that missed a message
/// (Redis outage, reconnect) learns of an end. See docs/decisions/0201-session-revocation.md.
/// </summary>
public sealed class RevokedSessions : ISessionRevocations, IHostedLifecycleService, IDisposable
{
    private const string Channel = "switchboard:sessions:ended";
    // Rows ended this long before the last poll are read again: commits land a little after the
    // timestamp they carry, and instances' clocks differ a little.
    private static readonly TimeSpan PollOverlap = TimeSpan.FromSeconds(10);

    private readonly ConcurrentDictionary<long, DateTime> _ended = new();
    private readonly IServiceScopeFactory _scopes;
    private readonly IConnectionMultiplexer? _redis;
    private readonly RedisPubSubMode? _mode;
    private int _subscribed;
    private readonly TimeProvider _clock;
    private readonly ILogger<RevokedSessions> _logger;
    private readonly TimeSpan _keep;
    private readonly TimeSpan _pollInterval;
    private readonly CancellationTokenSource _stopping = new();
    private DateTime _syncedUntil;
    private DateTime? _disconnectedAt;
    private Task _poll = Task.CompletedTask;

    public RevokedSessions(IServiceScopeFactory scopes, IServiceProvider services, IOptions<SwitchboardOptions> options,
        TimeProvider clock, ILogger<RevokedSessions> logger)
    {
        _scopes = scopes;
        _redis = services.GetService<IConnectionMultiplexer>();
        _mode = services.GetService<RedisPubSubMode>();
        _clock = clock;
        _logger = logger;
        // An ended session's newest access token expires at most one lifetime (plus clock skew) after the end.
        _keep = TimeSpan.FromMinutes(options.Value.Jwt.AccessTokenMinutes) + TimeSpan.FromMinutes(1);
        _pollInterval = TimeSpan.FromMilliseconds(Math.Max(0, options.Value.Sessions.RevocationPollMilliseconds));
    }

    public event Action<SessionEnded>? Ended;

    public bool IsRevoked(long sessionId) => _ended.ContainsKey(sessionId);

    /// <summary>How many ended sessions are held (for tests and diagnostics).</summary>
    public int Count => _ended.Count;

    /// <summary>Records sessions ended (and committed) on this instance, and tells the other instances.</summary>
    public void Publish(IReadOnlyList<SessionEnded> sessions, DateTime endedAt)
    {
        foreach (var session in sessions)
        {
            Add(session, endedAt);
        }
        if (_redis is not null && sessions.Count > 0)
        {
            // Not awaited: the end is committed, and a slow or absent Redis must not hold the request.
            _ = PublishToRedisAsync(sessions);
        }
    }

    private async Task PublishToRedisAsync(IReadOnlyList<SessionEnded> sessions)
    {
        try
        {
            var payload = JsonSerializer.SerializeToUtf8Bytes(sessions.Select(s => new[] { s.SessionId, s.UserId }).ToArray());
            await _redis!.GetSubscriber().PublishAsync(_mode!.Channel(Channel), payload);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            // The other instances' poll finds it in the database within a second.
            _logger.LogWarning("Could not publish {Count} ended sessions to Redis ({Error}); other instances will poll them", sessions.Count, e.GetType().Name);
        }
    }

    private void Add(SessionEnded session, DateTime endedAt)
    {
        if (!_ended.TryAdd(session.SessionId, endedAt))
        {
            return;
        }
        // Raised once per instance per session, whichever way the news came first.
        foreach (var handler in Ended?.GetInvocationList() ?? [])
        {
            try
            {
                ((Action<SessionEnded>)handler)(session);
            }
            catch (Exception e)
            {
                _logger.LogError(e, "A handler of SessionEnded failed for session {SessionId}", session.SessionId);
            }
        }
    }

    public async Task StartingAsync(CancellationToken cancellationToken)
    {
        // Before the server takes requests: a restarted instance must not forget recent ends.
        var now = _clock.GetUtcNow().UtcDateTime;
        await SyncAsync(now - _keep, cancellationToken);
        var polling = _redis is not null && _pollInterval > TimeSpan.Zero;
        _poll = LoopAsync(polling ? _pollInterval : TimeSpan.FromMinutes(1), polling, _stopping.Token);
        if (_redis is null)
        {
            return;
        }
        await SubscribeAsync();
        _redis.ConnectionFailed += OnConnectionFailed;
        _redis.ConnectionRestored += OnConnectionRestored;
    }

    private async Task SubscribeAsync()
    {
        if (Volatile.Read(ref _subscribed) == 1)
        {
            return;
        }
        try
        {
            await _redis!.GetSubscriber().SubscribeAsync(_mode!.Channel(Channel), (_, message) => OnRedisMessage(message));
            Volatile.Write(ref _subscribed, 1);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            // Tried again when the connection comes back (once subscribed, the multiplexer itself
            // resubscribes); the poll covers the gap.
            _logger.LogWarning("Could not subscribe to ended sessions on Redis ({Error}); polling the database meanwhile", e.GetType().Name);
        }
    }

    private void OnConnectionFailed(object? sender, ConnectionFailedEventArgs e) =>
        _disconnectedAt ??= _clock.GetUtcNow().UtcDateTime;

    private void OnRedisMessage(RedisValue message)
    {
        try
        {
            var pairs = JsonSerializer.Deserialize<long[][]>((byte[])message!) ?? [];
            var now = _clock.GetUtcNow().UtcDateTime;
            foreach (var pair in pairs)
            {
                if (pair is [var sessionId, var userId])
                {
                    Add(new SessionEnded(sessionId, (int)userId), now);
                }
            }
        }
        catch (JsonException e)
        {
            _logger.LogWarning(e, "Ignored a malformed ended-sessions message from Redis");
        }
    }

    private void OnConnectionRestored(object? sender, ConnectionFailedEventArgs e)
    {
        // Whatever was published while this instance was cut off is in the database.
        var since = (_disconnectedAt ?? _syncedUntil) - PollOverlap;
        _disconnectedAt = null;
        _ = Task.Run(async () =>
        {
            try
            {
                await SubscribeAsync();
                await SyncAsync(since, _stopping.Token);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                _logger.LogWarning(ex, "Re-reading ended sessions after a Redis reconnect failed");
            }
        });
    }

    // Forgets ends older than a token lifetime and, when several instances share Redis, polls.
    private async Task LoopAsync(TimeSpan interval, bool poll, CancellationToken ct)
    {
        using var timer = new PeriodicTimer(interval, _clock);
        while (await timer.WaitForNextTickAsync(ct).ConfigureAwait(false))
        {
            try
            {
                if (poll)
                {
                    await SyncAsync(_syncedUntil - PollOverlap, ct);
                }
                Prune();
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                _logger.LogWarning("Polling ended sessions failed ({Error}); retrying", e.GetType().Name);
            }
        }
    }

    private async Task SyncAsync(DateTime since, CancellationToken ct)
    {
        var now = _clock.GetUtcNow().UtcDateTime;
        await using var scope = _scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var ended = await db.Sessions.AsNoTracking()
            .Where(s => s.EndedAt != null && s.EndedAt >= since)
            .Select(s => new { s.Id, s.UserId, s.EndedAt })
            .ToListAsync(ct);
        foreach (var s in ended)
        {
            Add(new SessionEnded(s.Id, s.UserId), s.EndedAt!.Value);
        }
        if (now > _syncedUntil)
        {
            _syncedUntil = now;
        }
    }

    private void Prune()
    {
        var cutoff = _clock.GetUtcNow().UtcDateTime - _keep;
        foreach (var (id, endedAt) in _ended)
        {
            if (endedAt < cutoff)
            {
                _ended.TryRemove(id, out _);
            }
        }
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken)
    {
        _stopping.Cancel();
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_redis is not null)
        {
            _redis.ConnectionFailed -= OnConnectionFailed;
            _redis.ConnectionRestored -= OnConnectionRestored;
        }
        try
        {
            await _poll.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }
    }

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose() => _stopping.Dispose();
}
