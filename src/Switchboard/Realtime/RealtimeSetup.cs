using System.Net.WebSockets;
using Switchboard.Infrastructure;

namespace Switchboard.Realtime;

public static class RealtimeSetup
{
    /// <summary>The socket registry and the fan-out: in-process by default, Redis pub/sub when Redis:Configuration is set.</summary>
    public static IServiceCollection AddRealtime(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<ConnectionRegistry>();
        services.AddSingleton<AccessTokenValidator>();
        if (configuration.IsRedisConfigured())
        {
            services.AddSingleton<IRoomEvents, RedisRoomEvents>();
        }
        else
        {
            services.AddSingleton<IRoomEvents, InProcessRoomEvents>();
        }
        services.AddHostedService<RealtimeFanout>();
        return services;
    }

    public static void MapRealtime(this IEndpointRouteBuilder routes) =>
        routes.Map("/ws/chat/{roomId:int}", ChatSocketEndpoint.HandleAsync).WithName("chat_socket")
            .WithSummary("The chat room's WebSocket").ExcludeFromDescription().AllowAnonymous();
}

/// <summary>Connects the room event bus to this instance's sockets, and closes them with 1001 on shutdown.</summary>
internal sealed class RealtimeFanout(IRoomEvents events, ConnectionRegistry registry, IHostApplicationLifetime lifetime) : IHostedService
{
    private IDisposable? _subscription;
    private CancellationTokenRegistration _stopping;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _subscription = events.Subscribe(e =>
        {
            registry.Deliver(e);
            return ValueTask.CompletedTask;
        });
        // Going-away lets clients reconnect at once, to another instance behind the load balancer.
        _stopping = lifetime.ApplicationStopping.Register(() => registry.CloseAll(WebSocketCloseStatus.EndpointUnavailable, "Server shutting down."));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _subscription?.Dispose();
        _stopping.Dispose();
        return Task.CompletedTask;
    }
}
