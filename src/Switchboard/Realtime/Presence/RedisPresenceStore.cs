using System.Globalization;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using Switchboard.Infrastructure;

namespace Switchboard.Realtime.Presence;

/// <summary>
/// Presence shared through Redis. Each instance keeps a hash of its users
/// (<c>switchboard:presence:instance:{id}</c>) that expires unless the instance refreshes it, and
/// announces itself in a sorted set scored by that expiry: a crashed instance's users drop out
/// after <see cref="PresenceOptions.InstanceTtlSeconds"/> instead of staying online forever.
/// </summary>
public sealed class RedisPresenceStore(IConnectionMultiplexer redis, IOptions<SwitchboardOptions> options) : IPresenceStore
{
    private const string Instances = "switchboard:presence:instances";
    private const string Announced = "switchboard:presence:announced";
    private readonly string _instance = Guid.NewGuid().ToString("N");
    private RedisKey Mine => "switchboard:presence:instance:" + _instance;
    private TimeSpan Ttl => TimeSpan.FromSeconds(options.Value.Presence.InstanceTtlSeconds);

    // Compare-and-set of the announced status ("offline" is stored as no entry).
    private const string AnnounceScript = """
        local old = redis.call('HGET', KEYS[1], ARGV[1]) or 'offline'
        if old ~= ARGV[2] then return 0 end
        if ARGV[3] == 'offline' then redis.call('HDEL', KEYS[1], ARGV[1]) else redis.call('HSET', KEYS[1], ARGV[1], ARGV[3]) end
        return 1
        """;

    public async Task SaveAsync(IReadOnlyDictionary<int, PresenceEntry?> entries)
    {
        var db = redis.GetDatabase();
        var set = entries.Where(e => e.Value is not null)
            .Select(e => new HashEntry(e.Key, Encode(e.Value!.Value))).ToArray();
        var removed = entries.Where(e => e.Value is null).Select(e => (RedisValue)e.Key).ToArray();
        if (set.Length > 0)
        {
            await db.HashSetAsync(Mine, set);
        }
        if (removed.Length > 0)
        {
            await db.HashDeleteAsync(Mine, removed);
        }
        await db.KeyExpireAsync(Mine, Ttl);
    }

    public async Task HeartbeatAsync()
    {
        var db = redis.GetDatabase();
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await db.SortedSetAddAsync(Instances, _instance, now + (long)Ttl.TotalMilliseconds);
        await db.SortedSetRemoveRangeByScoreAsync(Instances, double.NegativeInfinity, now);
        await db.KeyExpireAsync(Mine, Ttl);
    }

    public async Task<IReadOnlyDictionary<int, List<PresenceEntry>>> ReadAsync(IReadOnlyCollection<int> userIds)
    {
        var result = new Dictionary<int, List<PresenceEntry>>();
        if (userIds.Count == 0)
        {
            return result;
        }
        var db = redis.GetDatabase();
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var live = await db.SortedSetRangeByScoreAsync(Instances, now, double.PositiveInfinity);
        var fields = userIds.Select(id => (RedisValue)id).ToArray();
        var reads = live.Select(instance => db.HashGetAsync("switchboard:presence:instance:" + instance, fields)).ToList();
        foreach (var values in await Task.WhenAll(reads))
        {
            var i = 0;
            foreach (var userId in userIds)
            {
                if (TryDecode(values[i++], out var entry))
                {
                    if (!result.TryGetValue(userId, out var list))
                    {
                        result[userId] = list = [];
                    }
                    list.Add(entry);
                }
            }
        }
        return result;
    }

    public async Task<IReadOnlyDictionary<int, string>> AnnouncedAsync()
    {
        var all = await redis.GetDatabase().HashGetAllAsync(Announced);
        return all.Where(e => int.TryParse(e.Name.ToString(), out _))
            .ToDictionary(e => int.Parse(e.Name.ToString(), CultureInfo.InvariantCulture), e => e.Value.ToString());
    }

    public async Task<bool> TryAnnounceAsync(int userId, string expected, string status) =>
        (int)await redis.GetDatabase().ScriptEvaluateAsync(AnnounceScript, [Announced], [userId, expected, status]) == 1;

    private static string Encode(PresenceEntry e) =>
        string.Create(CultureInfo.InvariantCulture, $"{e.Connections}|{e.LastActivityMs}|{e.LastClosedMs}");

    private static bool TryDecode(RedisValue value, out PresenceEntry entry)
    {
        entry = default;
        if (value.IsNullOrEmpty)
        {
            return false;
        }
        var parts = value.ToString().Split('|');
        if (parts.Length != 3 || !int.TryParse(parts[0], CultureInfo.InvariantCulture, out var connections) ||
            !long.TryParse(parts[1], CultureInfo.InvariantCulture, out var activity) || !long.TryParse(parts[2], CultureInfo.InvariantCulture, out var closed))
        {
            return false;
        }
        entry = new PresenceEntry(connections, activity, closed);
        return true;
    }
}
