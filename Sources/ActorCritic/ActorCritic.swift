// Module ActorCritic.
