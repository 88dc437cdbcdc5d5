using Switchboard.Realtime;

namespace Switchboard.Features.Notifications;

public static class NotificationsModule
{
    public static IServiceCollection AddNotifications(this IServiceCollection services)
    {
        services.AddScoped<Notifier>();
        services.AddSingleton<IUserPush, UserSocketPush>();
        services.AddSingleton<NotificationMailer>();
        services.AddHostedService(sp => sp.GetRequiredService<NotificationMailer>());
        return services;
    }

    public static IEndpointRouteBuilder MapNotificationsFeature(this IEndpointRouteBuilder routes)
    {
        routes.MapNotifications();
        return routes;
    }
}

/// <summary>User frames go out over the user socket (/ws/), on whichever instance the user is connected.</summary>
internal sealed class UserSocketPush(IUserEvents events) : IUserPush
{
    public ValueTask PushAsync(int userId, object frame, CancellationToken ct = default) => events.PublishAsync(new UserEvent(userId, frame), ct);
}
