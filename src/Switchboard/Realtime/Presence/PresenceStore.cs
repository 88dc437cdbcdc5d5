namespace Switchboard.Realtime.Presence;

/// <summary>One instance's view of a user: open sockets there, their last activity, and when the last one closed.</summary>
public readonly record struct PresenceEntry(int Connections, long LastActivityMs, long LastClosedMs);

/// <summary>
/// Where instances share presence: what each of them sees of each user, and the status last
/// announced to clients (so that a change is announced once, whichever instance notices it).
/// </summary>
public interface IPresenceStore
{
    /// <summary>Saves this instance's entries; a null entry removes the user from this instance.</summary>
    Task SaveAsync(IReadOnlyDictionary<int, PresenceEntry?> entries);

    /// <summary>Tells the store this instance is alive (with Redis: refreshes its entries' expiry).</summary>
    Task HeartbeatAsync();

    /// <summary>Every live instance's entries for these users.</summary>
    Task<IReadOnlyDictionary<int, List<PresenceEntry>>> ReadAsync(IReadOnlyCollection<int> userIds);

    /// <summary>Users whose last announced status is not offline, with that status.</summary>
    Task<IReadOnlyDictionary<int, string>> AnnouncedAsync();

    /// <summary>Records a new announced status if the old one is still <paramref name="expected"/>; false when another instance was first.</summary>
    Task<bool> TryAnnounceAsync(int userId, string expected, string status);
}

/// <summary>The embedded default: one instance, so its own entries are everyone's.</summary>
public sealed class InMemoryPresenceStore : IPresenceStore
{
    private readonly Dictionary<int, PresenceEntry> _entries = [];
    private readonly Dictionary<int, string> _announced = [];
    private readonly Lock _gate = new();

    public Task SaveAsync(IReadOnlyDictionary<int, PresenceEntry?> entries)
    {
        lock (_gate)
        {
            foreach (var (userId, entry) in entries)
            {
                if (entry is { } value)
                {
                    _entries[userId] = value;
                }
                else
                {
                    _entries.Remove(userId);
                }
            }
        }
        return Task.CompletedTask;
    }

    public Task HeartbeatAsync() => Task.CompletedTask;

    public Task<IReadOnlyDictionary<int, List<PresenceEntry>>> ReadAsync(IReadOnlyCollection<int> userIds)
    {
        lock (_gate)
        {
            IReadOnlyDictionary<int, List<PresenceEntry>> result = userIds.Distinct()
                .Where(_entries.ContainsKey).ToDictionary(id => id, id => new List<PresenceEntry> { _entries[id] });
            return Task.FromResult(result);
        }
    }

    public Task<IReadOnlyDictionary<int, string>> AnnouncedAsync()
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyDictionary<int, string>>(new Dictionary<int, string>(_announced));
        }
    }

    public Task<bool> TryAnnounceAsync(int userId, string expected, string status)
    {
        lock (_gate)
        {
            if (_announced.GetValueOrDefault(userId, PresenceStatus.Offline) != expected)
            {
                return Task.FromResult(false);
            }
            if (status == PresenceStatus.Offline)
            {
                _announced.Remove(userId);
            }
            else
            {
                _announced[userId] = status;
            }
            return Task.FromResult(true);
        }
    }
}

public static class PresenceStatus
{
    public const string Online = "online";
    public const string Away = "away";
    public const string Offline = "offline";

    /// <summary>A user's status from every instance's entries.</summary>
    public static string Of(IReadOnlyList<PresenceEntry>? entries, long nowMs, long awayAfterMs, long offlineAfterMs)
    {
        if (entries is null || entries.Count == 0)
        {
            return Offline;
        }
        var open = entries.Any(e => e.Connections > 0) || entries.Any(e => nowMs - e.LastClosedMs < offlineAfterMs);
        if (!open)
        {
            return Offline;
        }
        return nowMs - entries.Max(e => e.LastActivityMs) < awayAfterMs ? Online : Away;
    }
}
