package dev.storefront.crm.workflows;

import dev.storefront.crm.api.PluginContext;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.PasswordAuthentication;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.util.Properties;

/**
 * Sends one plain-text email through the SMTP server of {@code crm.plugins.workflows.smtp.*}
 * ({@code host}, {@code port} (25), {@code username}, {@code password}, {@code starttls} (false)).
 * The Message-ID is the one the step recorded before sending, so the sent mail can be matched to it.
 */
final class Mailer {

    private Mailer() {
    }

    static void send(PluginContext context, String messageId, String from, String to, String subject, String body)
            throws MessagingException {
        Properties properties = new Properties();
        properties.put("mail.smtp.host", context.requireConfig("smtp.host"));
        properties.put("mail.smtp.port", context.config("smtp.port").orElse("25"));
        properties.put("mail.smtp.connectiontimeout", "10000");
        properties.put("mail.smtp.timeout", "20000");
        properties.put("mail.smtp.starttls.enable", context.config("smtp.starttls").orElse("false"));
        String user = context.config("smtp.username").orElse(null);
        properties.put("mail.smtp.auth", String.valueOf(user != null));
        Session session = Session.getInstance(properties, user == null ? null : new jakarta.mail.Authenticator() {
            @Override
            protected PasswordAuthentication getPasswordAuthentication() {
                return new PasswordAuthentication(user, context.config("smtp.password").orElse(""));
            }
        });
        MimeMessage message = new MimeMessage(session) {
            @Override
            protected void updateMessageID() throws MessagingException {
                setHeader("Message-ID", messageId);
            }
        };
        message.setFrom(new InternetAddress(from));
        message.setRecipients(Message.RecipientType.TO, InternetAddress.parse(to));
        message.setSubject(subject, "UTF-8");
        message.setText(body, "UTF-8");
        Transport.send(message);
    }
}
