using System.Net.WebSockets;
using Microsoft.Extensions.Options;
using Switchboard.Features.Auth;
using Switchboard.Infrastructure;
using Switchboard.Realtime.Presence;

namespace Switchboard.Realtime;

public static class RealtimeSetup
{
    /// <summary>The sockets, the fan-out (in-process by default, Redis pub/sub when Redis:Configuration is set) and presence.</summary>
    public static IServiceCollection AddRealtime(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<ConnectionRegistry>();
        services.AddSingleton<UnreadCounts>();
        services.AddSingleton<AccessTokenValidator>();
        services.AddSingleton<SocketHandshake>();
        services.AddSingleton<SocketServices>();
        if (configuration.IsRedisConfigured())
        {
            services.AddSingleton<RedisRoomEvents>();
            services.AddSingleton<IRoomEvents>(p => p.GetRequiredService<RedisRoomEvents>());
            services.AddSingleton<IUserEvents>(p => p.GetRequiredService<RedisRoomEvents>());
            services.AddSingleton<ITopicEvents>(p => p.GetRequiredService<RedisRoomEvents>());
            services.AddSingleton<IPresenceStore, RedisPresenceStore>();
        }
        else
        {
            services.AddSingleton<IRoomEvents, InProcessRoomEvents>();
            services.AddSingleton<InProcessUserEvents>();
            services.AddSingleton<IUserEvents>(p => p.GetRequiredService<InProcessUserEvents>());
            services.AddSingleton<ITopicEvents>(p => p.GetRequiredService<InProcessUserEvents>());
            services.AddSingleton<IPresenceStore, InMemoryPresenceStore>();
        }
        services.AddSingleton<PresenceTracker>();
        services.AddHostedService(p => p.GetRequiredService<PresenceTracker>());
        services.AddHostedService<RealtimeFanout>();
        return services;
    }

    public static void MapRealtime(this IEndpointRouteBuilder routes)
    {
        routes.Map("/ws/chat/{roomId:int}", SocketEndpoints.RoomSocketAsync).WithName("chat_socket")
            .WithSummary("The chat room's WebSocket").ExcludeFromDescription().AllowAnonymous();
        routes.Map("/ws", SocketEndpoints.UserSocketAsync).WithName("user_socket")
            .WithSummary("The user socket: every room, user frames and topics").ExcludeFromDescription().AllowAnonymous();
    }
}

/// <summary>
/// Connects the room event bus to this instance's sockets, closes the sockets of ended sessions
/// (4401) and of silent user sockets (4408), and closes everything with 1001 on shutdown.
/// </summary>
internal sealed class RealtimeFanout(IRoomEvents events, ConnectionRegistry registry, IHostApplicationLifetime lifetime,
    IServiceProvider services, IOptions<SwitchboardOptions> options) : BackgroundService
{
    private IDisposable? _subscription;
    private CancellationTokenRegistration _stopping;
    private ISessionRevocations? _revocations;

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        _subscription = events.Subscribe(e =>
        {
            registry.Deliver(e);
            return ValueTask.CompletedTask;
        });
        // Registered by the sessions feature; raised on every instance when a session ends.
        _revocations = services.GetRequiredService<ISessionRevocations>();
        if (_revocations is not null)
        {
            _revocations.Ended += OnSessionEnded;
        }
        if (events is RedisRoomEvents redis)
        {
            await redis.ListenToUsersAndTopicsAsync();
        }
        // Going-away lets clients reconnect at once, to another instance behind the load balancer.
        _stopping = lifetime.ApplicationStopping.Register(() => registry.CloseAll(WebSocketCloseStatus.EndpointUnavailable, "Server shutting down."));
        await base.StartAsync(cancellationToken);
    }

    private void OnSessionEnded(SessionEnded ended) => registry.CloseSession(ended.UserId, ended.SessionId);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var heartbeat = TimeSpan.FromSeconds(options.Value.Realtime.HeartbeatSeconds);
        using var timer = new PeriodicTimer(heartbeat);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            registry.CloseSilent(Environment.TickCount64 - (long)(2 * heartbeat.TotalMilliseconds));
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        _subscription?.Dispose();
        _stopping.Dispose();
        if (_revocations is not null)
        {
            _revocations.Ended -= OnSessionEnded;
        }
        await base.StopAsync(cancellationToken);
    }
}
