using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Switchboard.Infrastructure;

namespace Switchboard.Realtime.Presence;

/// <summary>Who hears about a user's presence, and whose presence a user may ask for (the Users feature answers).</summary>
public interface IPresenceAudience
{
    /// <summary>The users who share a project with <paramref name="userId"/>, themselves included.</summary>
    Task<IReadOnlyList<int>> AudienceOfAsync(int userId, CancellationToken ct);

    /// <summary>Those of <paramref name="userIds"/> the viewer shares a project with (the viewer always sees themselves).</summary>
    Task<IReadOnlyList<int>> VisibleToAsync(int viewerId, IReadOnlyCollection<int> userIds, CancellationToken ct);
}

public sealed record PresenceChangedFrame(int UserId, string Status)
{
    [System.Text.Json.Serialization.JsonPropertyOrder(-1)]
    public string Type => "presence_changed";
}

/// <summary>
/// Presence, cluster-wide: this instance counts its sockets and activity per user, saves them to
/// the <see cref="IPresenceStore"/> on every tick, and announces (<c>presence_changed</c>) every
/// status that differs from the one last announced, whichever instance's change caused it.
/// </summary>
public sealed class PresenceTracker : BackgroundService
{
    private sealed class Local
    {
        public int Connections;
        public long LastActivityMs;
        public long LastClosedMs;
        public long SavedActivityMs;
    }

    private readonly ConcurrentDictionary<int, Local> _local = new();
    private readonly ConcurrentDictionary<int, byte> _dirty = new();
    private readonly IPresenceStore _store;
    private readonly IUserEvents _userEvents;
    private readonly IServiceScopeFactory _scopes;
    private readonly PresenceOptions _options;
    private readonly ILogger<PresenceTracker> _logger;
    private long _lastFailureLog;

    public PresenceTracker(ConnectionRegistry registry, IPresenceStore store, IUserEvents userEvents, IServiceScopeFactory scopes,
        IOptions<SwitchboardOptions> options, ILogger<PresenceTracker> logger)
    {
        _store = store;
        _userEvents = userEvents;
        _scopes = scopes;
        _options = options.Value.Presence;
        _logger = logger;
        registry.UserSocketChanged += OnSocketChanged;
    }

    private static long NowMs => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
    private long AwayMs => (long)(_options.AwayAfterSeconds * 1000);
    private long OfflineMs => (long)(_options.OfflineAfterSeconds * 1000);

    private void OnSocketChanged(int userId, bool opened)
    {
        var local = _local.GetOrAdd(userId, _ => new Local());
        lock (local)
        {
            var now = NowMs;
            if (opened)
            {
                local.Connections++;
                // Opening a socket is activity: whoever connects is there.
                local.LastActivityMs = now;
            }
            else
            {
                local.Connections = Math.Max(0, local.Connections - 1);
                local.LastClosedMs = now;
            }
        }
        _dirty[userId] = 0;
    }

    /// <summary>A client <c>activity</c> frame; saved with the next tick.</summary>
    public void Activity(int userId)
    {
        if (_local.TryGetValue(userId, out var local))
        {
            lock (local)
            {
                local.LastActivityMs = NowMs;
            }
        }
    }

    /// <summary>The current status of these users, across every instance.</summary>
    public async Task<IReadOnlyDictionary<int, string>> StatusAsync(IReadOnlyCollection<int> userIds)
    {
        var entries = await _store.ReadAsync(userIds);
        var now = NowMs;
        return userIds.Distinct().ToDictionary(id => id, id => PresenceStatus.Of(entries.GetValueOrDefault(id), now, AwayMs, OfflineMs));
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(_options.TickSeconds));
        do
        {
            try
            {
                await TickAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                var now = Environment.TickCount64;
                if (now - _lastFailureLog > 5000)
                {
                    _lastFailureLog = now;
                    _logger.LogWarning("Presence could not be updated: {Error}", e.Message);
                }
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private async Task TickAsync(CancellationToken ct)
    {
        var now = NowMs;
        var changes = new Dictionary<int, PresenceEntry?>();
        foreach (var (userId, local) in _local)
        {
            lock (local)
            {
                if (local.Connections == 0 && now - local.LastClosedMs >= OfflineMs)
                {
                    // Gone long enough: this instance forgets the user.
                    _local.TryRemove(userId, out _);
                    changes[userId] = null;
                    continue;
                }
                if (_dirty.TryRemove(userId, out _) || local.LastActivityMs != local.SavedActivityMs)
                {
                    changes[userId] = new PresenceEntry(local.Connections, local.LastActivityMs, local.LastClosedMs);
                    local.SavedActivityMs = local.LastActivityMs;
                }
            }
        }
        if (changes.Count > 0)
        {
            await _store.SaveAsync(changes);
        }
        await _store.HeartbeatAsync();

        // Every user someone might still be told about: those here, and those announced as not offline.
        var announced = await _store.AnnouncedAsync();
        var users = _local.Keys.Concat(announced.Keys).Concat(changes.Keys).Distinct().ToList();
        var status = await StatusAsync(users);
        foreach (var userId in users)
        {
            var before = announced.GetValueOrDefault(userId, PresenceStatus.Offline);
            var after = status[userId];
            if (before != after && await _store.TryAnnounceAsync(userId, before, after))
            {
                await AnnounceAsync(userId, after, ct);
            }
        }
    }

    private async Task AnnounceAsync(int userId, string status, CancellationToken ct)
    {
        await using var scope = _scopes.CreateAsyncScope();
        var audience = await scope.ServiceProvider.GetRequiredService<IPresenceAudience>().AudienceOfAsync(userId, ct);
        if (audience.Count > 0)
        {
            await _userEvents.PublishAsync(new UserEvent(audience, new PresenceChangedFrame(userId, status)), ct);
        }
    }
}
