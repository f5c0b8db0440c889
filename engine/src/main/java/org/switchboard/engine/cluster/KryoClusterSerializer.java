package org.switchboard.engine.cluster;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.util.Pool;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.typed.ActorRefResolver;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.serialization.JSerializer;
import org.switchboard.engine.protocol.ClusterMessage;

/**
 * Serializes {@link ClusterMessage}s with Kryo 5. Only registered classes are accepted (see {@link
 * KryoRegistrations}), with ids fixed by their order, so every node must run the same list.
 * Records use Kryo's record support; any {@code List}, {@code Set} or {@code Map} travels as an
 * ordered immutable copy; typed {@code ActorRef}s travel as their Pekko serialization string.
 * Extra classes (other modules' cluster messages) are appended from {@code
 * switchboard.cluster.kryo-classes}.
 */
public final class KryoClusterSerializer extends JSerializer {

  /** This serializer's id in Pekko's serialization registry. */
  public static final int IDENTIFIER = 7_390_001;

  private final Pool<Kryo> pool;

  public KryoClusterSerializer(ExtendedActorSystem system) {
    ActorRefResolver resolver = ActorRefResolver.get(Adapter.toTyped(system));
    List<Class<?>> extra = new ArrayList<>();
    String key = "switchboard.cluster.kryo-classes";
    if (system.settings().config().hasPath(key)) {
      for (String name : system.settings().config().getStringList(key)) {
        try {
          extra.add(Class.forName(name, false, system.dynamicAccess().classLoader()));
        } catch (ClassNotFoundException e) {
          throw new IllegalArgumentException(key + " names an unknown class: " + name, e);
        }
      }
    }
    List<Class<?>> extraClasses = List.copyOf(extra);
    this.pool =
        new Pool<>(true, false, 16) {
          @Override
          protected Kryo create() {
            return KryoRegistrations.newKryo(resolver, extraClasses);
          }
        };
  }

  @Override
  public int identifier() {
    return IDENTIFIER;
  }

  @Override
  public boolean includeManifest() {
    return false;
  }

  @Override
  public byte[] toBinary(Object o) {
    Kryo kryo = pool.obtain();
    try (Output output = new Output(256, -1)) {
      kryo.writeClassAndObject(output, o);
      return output.toBytes();
    } catch (KryoException | IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "cannot serialize " + o.getClass().getName() + ": " + e.getMessage(), e);
    } finally {
      pool.free(kryo);
    }
  }

  @Override
  public Object fromBinaryJava(byte[] bytes, Class<?> manifest) {
    Kryo kryo = pool.obtain();
    try (Input input = new Input(bytes)) {
      return kryo.readClassAndObject(input);
    } catch (KryoException e) {
      throw new IllegalArgumentException("cannot deserialize a cluster message: " + e.getMessage(), e);
    } finally {
      pool.free(kryo);
    }
  }
}
