using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Switchboard.Features.Notifications;

public static class NotificationsModule
{
    public static IServiceCollection AddNotifications(this IServiceCollection services)
    {
        services.AddScoped<Notifier>();
        services.TryAddSingleton<IUserPush, NoUserSocketYet>();
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

// TEMPORARY until the user socket (/ws/) is merged: there is no connection to deliver a user frame to.
internal sealed class NoUserSocketYet : IUserPush
{
    public ValueTask PushAsync(int userId, object frame, CancellationToken ct = default) => ValueTask.CompletedTask;
}
