// Module NeuralNetwork.
