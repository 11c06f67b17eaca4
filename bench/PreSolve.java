import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.broadsheet.captcha.ProofOfWork;

/**
 * Load-generator helper: fetches COUNT human-check challenges for a comment form from a running
 * Broadsheet on 127.0.0.1 and writes one solved, URL-encoded answer per line, as a browser would
 * send them. Run with the jar on the class path:
 *   java -cp target/broadsheet.jar bench/PreSolve.java BASE_URL ARTICLE_ID COUNT OUT_FILE
 */
public class PreSolve {
  public static void main(String[] args) throws Exception {
    String base = args[0];
    long articleId = Long.parseLong(args[1]);
    int count = Integer.parseInt(args[2]);
    Path out = Path.of(args[3]);
    HttpClient http = HttpClient.newHttpClient();
    ObjectMapper json = new ObjectMapper();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    List<Future<String>> answers = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      answers.add(pool.submit(() -> {
        String body = http.send(HttpRequest.newBuilder(URI.create(base + "/api/human-check/challenge?form=comment:" + articleId)).build(),
            HttpResponse.BodyHandlers.ofString()).body();
        ProofOfWork.Challenge challenge = json.readValue(body, ProofOfWork.Challenge.class);
        return URLEncoder.encode(ProofOfWork.solve(challenge, 2500), StandardCharsets.UTF_8);
      }));
    }
    List<String> lines = new ArrayList<>(count);
    for (Future<String> answer : answers) {
      lines.add(answer.get());
    }
    pool.shutdown();
    Files.write(out, lines);
    System.out.println("Pre-solved " + count + " challenges into " + out);
  }
}
