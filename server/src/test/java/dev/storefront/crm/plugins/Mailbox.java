package dev.storefront.crm.plugins;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.util.Arrays;
import java.util.List;

/** A real SMTP server (GreenMail) on 127.0.0.1 for the workflow tests, its mail read by recipient. */
final class Mailbox implements AutoCloseable {

    private final GreenMail smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));

    Mailbox() {
        smtp.start();
    }

    int port() {
        return smtp.getSmtp().getPort();
    }

    List<MimeMessage> all() {
        return List.of(smtp.getReceivedMessages());
    }

    List<MimeMessage> to(String address) {
        return all().stream().filter(m -> {
            try {
                return Arrays.stream(m.getRecipients(Message.RecipientType.TO)).anyMatch(a -> a.toString().equals(address));
            } catch (MessagingException e) {
                throw new IllegalStateException(e);
            }
        }).toList();
    }

    List<String> subjects(String address) {
        return to(address).stream().map(m -> {
            try {
                return m.getSubject();
            } catch (MessagingException e) {
                throw new IllegalStateException(e);
            }
        }).toList();
    }

    @Override
    public void close() {
        smtp.stop();
    }
}
